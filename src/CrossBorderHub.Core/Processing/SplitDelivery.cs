using System.Globalization;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Routing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Edifact;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// A route with <c>SplitMessages</c>: each EDIFACT message of the interchange goes to each destination as an
/// interchange of its own (<see cref="EdifactSplitter"/>: UNA/UNB/UNG copied, UNE/UNZ counting 1), with its own
/// control reference. Each part is a message of the store (source channel <c>split:PARTNER:N</c>, related to the
/// original, carrying the part's sender + reference so a CONTRL answering the part finds it) with one delivery; the
/// original becomes Delivered once every part is. Parts are recorded once per original, partner and position, so a
/// crash and re-run makes no second copy, and their names and references depend only on the original's id.
/// </summary>
public sealed class SplitDelivery(IOutbox outbox, IBlobStore blobs, TimeProvider time)
{
    public const string ChannelPrefix = "split:";

    /// <summary>Applies the route's steps (mapping, signing) to one part for one partner; returns the blob to send.</summary>
    public delegate Task<(string Hash, long Length)> Transform(MessageRecord part, string partner, CancellationToken cancellationToken);

    /// <summary>Queues every part to every destination of <paramref name="match"/>; returns the number of parts per destination.</summary>
    public async Task<int> EnqueueAsync(MessageRecord message, DocumentIdentity identity, RouteMatch match, Transform transform, CancellationToken cancellationToken)
    {
        byte[] content;
        await using (var stream = blobs.OpenRead(message.BlobHash))
        using (var copy = new MemoryStream())
        {
            // The splitter works on the parsed interchange: the whole file in memory (documented for SplitMessages).
            await stream.CopyToAsync(copy, cancellationToken);
            content = copy.ToArray();
        }
        // Every part is transformed (mapped, signed) for every partner before the first is queued: a part the route's
        // mapping refuses (PayloadRejectedException) then rejects the original with nothing delivered, as without split.
        var ready = new List<(string Partner, SplitPart Part, int Index, int Count, string Hash, long Length)>();
        foreach (var partner in match.Route.To)
        {
            var parts = EdifactSplitter.Split(content, index => PartReference(message.Id, partner, index));
            for (var i = 0; i < parts.Count; i++)
            {
                using var bytes = new MemoryStream(parts[i].Content, writable: false);
                var blob = await blobs.PutAsync(bytes, cancellationToken);
                var (hash, length) = await transform(message with { BlobHash = blob.Sha256, Length = blob.Length }, partner, cancellationToken);
                ready.Add((partner, parts[i], i, parts.Count, hash, length));
            }
        }
        var mapped = !string.IsNullOrEmpty(match.Route.Mapping);
        foreach (var (partner, part, i, count, hash, length) in ready)
        {
            var reference = PartReference(message.Id, partner, i);
            var name = PartFileName(message, i, count);
            if (mapped)
            {
                // A part mapped to XML is delivered as .xml, like a mapped message that is not split.
                name = await MappedDeliveryName.ForAsync(name, blobs, hash, cancellationToken);
            }
            var position = $"{i + 1} of {count}";
            await outbox.EnqueueReplyAsync(
                new NewMessage(MessageIds.New(time), time.GetUtcNow(), "HUB", $"{ChannelPrefix}{partner}:{i + 1}", name, hash, length, message.Id, Outgoing: true),
                new DocumentIdentity
                {
                    Format = name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? DocumentFormat.Xml : DocumentFormat.Edifact,
                    DocumentType = part.MessageType,
                    Sender = identity.Sender,
                    Recipient = identity.Recipient,
                    ControlReference = reference,
                    IsTest = identity.IsTest,
                },
                _ => new DeliveryRequest(partner, name, hash, length, match.Name),
                $"message {part.MessageReference} ({part.MessageType}, {position}) split off{(mapped ? $" and mapped by {match.Route.Mapping}" : "")} for {partner} as message {{id}}, interchange reference {reference}, file {name}",
                cancellationToken, originalEventKind: "split");
        }
        return ready.Count == 0 ? 0 : ready.Count / match.Route.To.Count;
    }

    /// <summary>
    /// An..14, alphanumeric (fits UNOA), deterministic per original + partner + position: "S" and 13 digits of an
    /// FNV-1a hash. The original's own reference may already use all 14 characters, so it cannot be extended.
    /// </summary>
    public static string PartReference(string messageId, string partner, int index) =>
        ControlReferences.For('S', $"{messageId}|{partner}|{index}", 13);

    /// <summary>The original's delivery name with the part's position: "ID-001of003-name.edi", stable across retries.</summary>
    public static string PartFileName(MessageRecord message, int index, int count) =>
        DeliveryName.For(message.Id, $"{(index + 1).ToString("D3", CultureInfo.InvariantCulture)}of{count.ToString("D3", CultureInfo.InvariantCulture)}-{message.RemoteName}");

    /// <summary>True for a part this class recorded (its source channel).</summary>
    public static bool IsPart(MessageRecord message) => message.SourceChannel.StartsWith(ChannelPrefix, StringComparison.Ordinal);
}

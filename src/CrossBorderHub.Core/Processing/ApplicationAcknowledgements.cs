using System.Globalization;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Edifact;
using CrossBorderHub.Edifact.Contrl;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// APERAK (application error and acknowledgement) from the pipeline to the sender of an EDIFACT interchange: the
/// hub speaks for itself here (UNB sender = Identity:EdifactId), since routing and delivery are its own outcomes,
/// unlike the CONTRL, which answers the interchange's syntax. Each APERAK is a message of its own that names the
/// original; there is at most one per original and destination (or one for "cannot be routed").
/// </summary>
public sealed class ApplicationAcknowledgements(IMessageStore store, IBlobStore blobs, ReplyQueue replies, HubOptions options, TimeProvider time)
{
    public const string Kind = "APERAK";

    // Per call, not once: a new configuration version (CurrentConfiguration) may change a partner's policy.
    private bool AnyPositive => options.Partners.Values.Any(p => p.Aperak == AperakPolicy.All);

    /// <summary>Whether an ended delivery may be answered at all: a delivered one only when a partner asks for positive APERAKs.</summary>
    public bool MayAnswer(bool delivered) => !delivered || AnyPositive;

    /// <summary>The original could not be routed to any destination.</summary>
    public Task UnroutableAsync(MessageRecord original, string reason, CancellationToken cancellationToken) =>
        SendAsync(original, null, positive: false, "NOROUTE", reason, cancellationToken);

    /// <summary>A delivery of <paramref name="messageId"/> to <paramref name="destination"/> ended: delivered, rejected or given up.</summary>
    public async Task DeliveryEndedAsync(string messageId, string destination, bool delivered, string detail, CancellationToken cancellationToken)
    {
        // Every delivery ends here: without a partner asking for positive APERAKs a delivered one costs no store read.
        if (!MayAnswer(delivered) || await store.GetAsync(messageId, cancellationToken) is not { } original)
        {
            return;
        }
        await SendAsync(original, destination, delivered, delivered ? "DELIVERED" : "NOTDELIV", detail, cancellationToken);
    }

    private async Task SendAsync(MessageRecord original, string? destination, bool positive, string code, string text, CancellationToken cancellationToken)
    {
        if (!Answerable(original) || !options.Partners.TryGetValue(original.SourcePartner, out var partner))
        {
            return;
        }
        // No outbound channel, no APERAK: said once in the configuration docs, not as an event on every message.
        if (!partner.HasOutbound || partner.Aperak == AperakPolicy.None || (positive && partner.Aperak != AperakPolicy.All))
        {
            return;
        }
        var reference = Reference(original.Id + "/" + (destination ?? ""));
        var errors = positive ? [] : new[] { new ApplicationError(code, destination is null ? text : $"{destination}: {text}") };
        var content = AperakBuilder.Build(options.Identity.EdifactId, original.Sender!, reference, time.GetUtcNow(),
            original.ControlReference ?? "", await FirstMessageReferenceAsync(original, cancellationToken) ?? "1", errors);
        var key = destination is null ? "aperak" : "aperak-" + destination.ToLowerInvariant();
        await replies.QueueAsync(original, Kind, key, $"APERAK_{reference}.edi", content,
            new DocumentIdentity
            {
                Format = DocumentFormat.Edifact, DocumentType = Kind, Sender = options.Identity.EdifactId, Recipient = original.Sender,
                ControlReference = reference,
            }, cancellationToken);
    }

    /// <summary>Only what a partner sent as EDIFACT, with a UNB sender to answer, and never an acknowledgement itself.</summary>
    private static bool Answerable(MessageRecord original) =>
        original.Format == DocumentFormat.Edifact && original.RelatedMessageId is null && original.SourcePartner != "HUB"
        && !string.IsNullOrEmpty(original.Sender) && original.DocumentType is not ("CONTRL" or "APERAK");

    /// <summary>The first UNH reference (RFF+ACW of the APERAK), read from the stored interchange's first segments.</summary>
    private async Task<string?> FirstMessageReferenceAsync(MessageRecord original, CancellationToken cancellationToken)
    {
        await using var stream = blobs.OpenRead(original.BlobHash);
        return await Task.Run(() =>
        {
            var reader = new EdifactSegmentReader(stream);
            for (var i = 0; i < 16 && reader.Read() is { } segment; i++)
            {
                if (segment.IsTag("UNH"u8))
                {
                    return segment.GetString(1);
                }
            }
            return null;
        }, cancellationToken);
    }

    /// <summary>A deterministic an..14 reference, so a re-run after a crash writes the same APERAK.</summary>
    private static string Reference(string seed) => ControlReferences.For('A', seed, 12);
}

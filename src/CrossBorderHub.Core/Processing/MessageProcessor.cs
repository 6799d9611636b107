using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Text;
using CrossBorderHub.Core.Routing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Takes received messages through identify -> validate -> route -> transform -> outbox. Each step's outcome is an
/// event; a message that cannot go on ends Rejected (or Duplicate) with a reason a person can act on.
/// </summary>
public sealed partial class MessageProcessor(
    IMessageStore store,
    IOutbox outbox,
    IBlobStore blobs,
    ReplyQueue replies,
    ApplicationAcknowledgements aperaks,
    IEnumerable<IDocumentInspector> inspectors,
    IEnumerable<IPayloadTransformer> transformers,
    HubOptions options,
    TimeProvider time,
    ILogger<MessageProcessor> logger,
    IDocumentStore documents,
    HubMetrics? metrics = null,
    IStoreBatches? batches = null)
{
    // A batch's routing writes commit together up to this many payload bytes, so a batch of large interchanges does
    // not hold fifty inspections in memory at once.
    private const long RouteBatchBytes = 8L << 20;
    private readonly IStoreBatches _batches = batches ?? UnbatchedStore.Instance;
    private readonly HubMetrics _metrics = metrics ?? new HubMetrics();
    private const int HeadLength = 4096;
    private readonly Router _router = new(options);
    private readonly SplitDelivery _split = new(outbox, blobs, time);
    private readonly IReadOnlyList<IDocumentInspector> _inspectors = inspectors.ToList();
    private readonly IReadOnlyList<IPayloadTransformer> _transformers = transformers.ToList();
    private readonly string _owner = options.InstanceName;
    private readonly BusinessDuplicates? _duplicates = documents is null ? null : new(store, documents, options, time);

    /// <summary>One message, start to end, outside any batch (replay, tests).</summary>
    public async Task ProcessAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        if (await InspectStageAsync(message, cancellationToken) is { } inspection)
        {
            await RouteStageAsync(message, inspection, cancellationToken);
        }
    }

    /// <summary>Identify and validate: null when the message ended here (empty, unknown format: rejected).</summary>
    private async Task<Inspection?> InspectStageAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        Inspection? inspection;
        using (var inspecting = MessageTrace.Start(MessageTrace.Inspect, message.Id, message.SourcePartner))
        {
            inspection = await InspectAsync(message, cancellationToken);
            inspecting?.SetTag("crossborderhub.document_type", inspection?.Identity.DocumentType);
            if (inspection is null || inspection.HasErrors)
            {
                inspecting.Fail(inspection is null ? "unreadable" : "invalid");
            }
        }
        _metrics.Received(message.SourcePartner, inspection?.Identity.DocumentType);
        return inspection;
    }

    /// <summary>Everything after inspection: identity, documents, duplicates, replies, route, transform, outbox.</summary>
    private async Task RouteStageAsync(MessageRecord message, Inspection inspection, CancellationToken cancellationToken)
    {
        using var routing = MessageTrace.Start(MessageTrace.Route, message.Id, message.SourcePartner);
        var identity = inspection.Identity;
        await store.SetIdentityAsync(message.Id, identity, cancellationToken);
        // EDIFACT inspectors list their documents; an XML document is the one its schema pack identified.
        var found = inspection.Documents;
        if (found.Count > 0)
        {
            await documents.RecordAsync(message.Id, found, time.GetUtcNow(), cancellationToken);
            if (identity.Format == DocumentFormat.Xml && found[0].Number.Length == 0)
            {
                await store.AddEventAsync(message.Id, "warning", $"{found[0].Type}: no document number where the schema pack's identity number (or controlReference) XPath points, recorded with an empty number", cancellationToken);
            }
        }
        foreach (var finding in inspection.Findings.Where(f => f.Severity != FindingSeverity.Error).Take(50))
        {
            await store.AddEventAsync(message.Id, finding.Severity == FindingSeverity.Warning ? "warning" : "info", finding.ToString(), cancellationToken);
        }

        var content = message;
        if (inspection.HasErrors)
        {
            var errors = inspection.Findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            var summary = $"{errors.Count} error(s); first: {errors[0]}";
            foreach (var error in errors.Take(50))
            {
                await store.AddEventAsync(message.Id, "error", error.ToString(), cancellationToken);
            }
            if (inspection.Partial is not { } partial)
            {
                await store.TransitionAsync(message.Id, MessageStatus.Rejected, "rejected", summary, summary, cancellationToken);
                _metrics.Rejected(message.SourcePartner, identity.DocumentType);
                await ReplyAsync(message, inspection, cancellationToken);
                return;
            }
            // Partial acceptance: the valid messages go on as one interchange; the CONTRL rejects the others.
            using var accepted = new MemoryStream(partial.Content, writable: false);
            var blob = await blobs.PutAsync(accepted, cancellationToken);
            content = message with { BlobHash = blob.Sha256, Length = blob.Length };
            await store.AddEventAsync(message.Id, "partially-accepted",
                $"{partial.Accepted} message(s) accepted and routed as sha256 {blob.Sha256} ({blob.Length} bytes); rejected: {string.Join(", ", partial.RejectedReferences)} ({summary})",
                cancellationToken);
        }

        if (identity is { Sender: { } sender, ControlReference: { } reference } && inspection.Answers is null)
        {
            var earlier = await store.FindInterchangeAsync(sender, reference, time.GetUtcNow() - options.Processing.DuplicateWindow, message.Id, cancellationToken);
            if (earlier is not null)
            {
                var reason = $"interchange {PartnerText.Escape(reference)} from {PartnerText.Escape(sender)} was already received as message {earlier}: not delivered again";
                await store.TransitionAsync(message.Id, MessageStatus.Duplicate, "duplicate", reason, reason, cancellationToken);
                _metrics.Duplicate(message.SourcePartner, identity.DocumentType);
                return;
            }
        }

        if (inspection.Answers is { } answers)
        {
            await CorrelateAsync(message, answers, cancellationToken);
        }

        await ReplyAsync(message, inspection, cancellationToken);

        var match = _router.Match(identity, message.SourcePartner);
        if (match is null)
        {
            // An acknowledgement for the hub itself needs no route.
            if (inspection.Answers is not null)
            {
                await store.TransitionAsync(message.Id, MessageStatus.Delivered, "consumed", "acknowledgement consumed by the hub", null, cancellationToken);
                return;
            }
            var reason = Router.Describe(identity, message.SourcePartner);
            await store.TransitionAsync(message.Id, MessageStatus.Rejected, "rejected", reason, reason, cancellationToken);
            _metrics.Rejected(message.SourcePartner, identity.DocumentType);
            routing.Fail("unroutable");
            await aperaks.UnroutableAsync(message with { Sender = identity.Sender, ControlReference = identity.ControlReference, Format = identity.Format, DocumentType = identity.DocumentType }, reason, cancellationToken);
            return;
        }

        if (_duplicates is not null && !await _duplicates.DeliverAsync(message, cancellationToken))
        {
            return; // a business duplicate: the event says of which document
        }

        if (match.Route.SplitMessages && identity.Format == DocumentFormat.Edifact)
        {
            int parts;
            try
            {
                parts = await _split.EnqueueAsync(content, identity, match,
                    (part, partner, token) => TransformAsync(part, match, partner, options.Partners[partner], token), cancellationToken);
            }
            catch (PayloadRejectedException rejected)
            {
                await RejectTransformedAsync(message, match, rejected, cancellationToken); // no part was queued yet
                return;
            }
            // No delivery of its own: the parts carry them, and the outbox moves this message on when they are done.
            await outbox.EnqueueAsync(message.Id, [],
                $"{identity.Format} {identity.DocumentType} by {match.Name} split into {parts} interchange(s) to {string.Join(", ", match.Route.To)}", time.GetUtcNow(), cancellationToken);
            logger.LogInformation("Routed {MessageId} by {Route} as {Parts} split interchange(s) to {Partners}", message.Id, match.Name, parts, string.Join(", ", match.Route.To));
            return;
        }
        if (match.Route.SplitMessages)
        {
            await store.AddEventAsync(message.Id, "info", $"{match.Name}: SplitMessages applies to EDIFACT only; this {identity.Format} document is delivered whole", cancellationToken);
        }

        var deliveries = new List<DeliveryRequest>();
        try
        {
            foreach (var partner in match.Route.To)
            {
                var destination = options.Partners[partner];
                var (hash, length) = await TransformAsync(content, match, partner, destination, cancellationToken);
                var name = string.IsNullOrEmpty(match.Route.Mapping) ? OutboundFileName(message) : await MappedDeliveryName.ForAsync(OutboundFileName(message), blobs, hash, cancellationToken);
                deliveries.Add(new DeliveryRequest(partner, name, hash, length, match.Name));
            }
        }
        catch (PayloadRejectedException rejected)
        {
            await RejectTransformedAsync(message, match, rejected, cancellationToken);
            return;
        }
        await outbox.EnqueueAsync(message.Id, deliveries,
            $"{identity.Format} {identity.DocumentType} by {match.Name} to {string.Join(", ", match.Route.To)}", time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Routed {MessageId} ({Type}) by {Route} to {Partners}", message.Id, identity.DocumentType, match.Name, string.Join(", ", match.Route.To));
    }

    /// <summary>A route step (the mapping) refused the document before anything was queued: no partner receives a
    /// half-mapped document, and the original stays stored.</summary>
    private async Task RejectTransformedAsync(MessageRecord message, RouteMatch match, PayloadRejectedException rejected, CancellationToken cancellationToken)
    {
        foreach (var detail in rejected.Details)
        {
            await store.AddEventAsync(message.Id, "error", detail, cancellationToken);
        }
        await RejectAsync(message, rejected.Reason, cancellationToken);
        logger.LogWarning("Rejected {MessageId} by {Route}: {Reason}", message.Id, match.Name, rejected.Reason);
    }

    /// <summary>The name a delivery gets: unique per message, stable across retries, the sender's file name kept (made safe).</summary>
    public static string OutboundFileName(MessageRecord message) => DeliveryName.For(message.Id, message.RemoteName);

    private async Task<Inspection?> InspectAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        int read;
        await using (var stream = blobs.OpenRead(message.BlobHash))
        {
            read = await stream.ReadAtLeastAsync(head, HeadLength, throwOnEndOfStream: false, cancellationToken);
        }
        if (read == 0)
        {
            await RejectAsync(message, "the file is empty (0 bytes): nothing to identify", cancellationToken);
            return null;
        }
        var inspector = _inspectors.FirstOrDefault(i => i.Recognizes(head.AsSpan(0, read)));
        if (inspector is null)
        {
            await RejectAsync(message, $"unknown format: not UN/EDIFACT (no UNA/UNB) and not XML; starts with {Describe(head.AsSpan(0, read))}", cancellationToken);
            return null;
        }
        options.Partners.TryGetValue(message.SourcePartner, out var partner);
        return await inspector.InspectAsync(
            new InspectionRequest(message, () => blobs.OpenRead(message.BlobHash), message.SourcePartner, partner, options), cancellationToken);
    }

    private async Task RejectAsync(MessageRecord message, string reason, CancellationToken cancellationToken)
    {
        await store.TransitionAsync(message.Id, MessageStatus.Rejected, "rejected", reason, reason, cancellationToken);
        _metrics.Rejected(message.SourcePartner, null);
    }

    private static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF"u8))
        {
            return "'%PDF' (a PDF document)";
        }
        var sample = head[..Math.Min(16, head.Length)];
        // Show text as text (a stray CSV or a mail), anything else as hex.
        return sample.ToArray().All(b => b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t')
            ? $"'{System.Text.Encoding.ASCII.GetString(sample).ReplaceLineEndings(" ")}'"
            : "bytes " + Convert.ToHexString(sample);
    }

    private async Task<(string Hash, long Length)> TransformAsync(MessageRecord message, RouteMatch match, string partner, PartnerOptions destination, CancellationToken cancellationToken)
    {
        var hash = message.BlobHash;
        var length = message.Length;
        foreach (var step in match.Steps)
        {
            var transformer = _transformers.FirstOrDefault(t => t.Handles(step))
                ?? throw new InvalidOperationException($"no transformer handles step '{step}' of {match.Name}");
            // Signing is the one step kind today; a future step kind gets its own stage name here.
            using var stage = MessageTrace.Start(MessageTrace.Sign, message.Id, partner);
            stage?.SetTag("crossborderhub.step", step);
            var temporary = Path.GetTempFileName();
            try
            {
                await using (var input = blobs.OpenRead(hash))
                await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
                {
                    await transformer.TransformAsync(new TransformContext(step, message, partner, destination, options), input, output, cancellationToken);
                }
                await using var result = File.OpenRead(temporary);
                var blob = await blobs.PutAsync(result, cancellationToken);
                (hash, length) = (blob.Sha256, blob.Length);
                await store.AddEventAsync(message.Id, "transformed", $"{step} for {partner}: {length} bytes, sha256 {hash}", cancellationToken);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        return (hash, length);
    }

    /// <summary>Sends the inspector's acknowledgement (CONTRL...) back through the source partner's outbound channel.</summary>
    private async Task ReplyAsync(MessageRecord message, Inspection inspection, CancellationToken cancellationToken)
    {
        if (inspection.Reply is not { } reply)
        {
            return;
        }
        // A crash before the original is routed re-runs this method; the queue then finds the reply and makes no second one.
        // The identity just found, not message.Sender: `message` is the row as claimed, before SetIdentityAsync.
        await replies.QueueAsync(message, reply.Kind, reply.Kind.ToLowerInvariant(), reply.FileName, reply.Content,
            reply.Identity ?? new DocumentIdentity { Format = DocumentFormat.Edifact, DocumentType = reply.Kind, Recipient = inspection.Identity.Sender },
            cancellationToken);
    }

    private async Task CorrelateAsync(MessageRecord message, Correlation answers, CancellationToken cancellationToken)
    {
        // The acknowledgement answers an interchange the hub delivered: find the original by its sender + reference.
        var original = answers.OriginalSender is null
            ? null
            : await store.FindInterchangeAsync(answers.OriginalSender, answers.OriginalReference, DateTimeOffset.MinValue.AddYears(1), message.Id, cancellationToken);
        if (original is null)
        {
            await store.AddEventAsync(message.Id, "correlation-failed", $"answers interchange {PartnerText.Escape(answers.OriginalReference)} from {PartnerText.Escape(answers.OriginalSender ?? "?")}, which the hub does not know", cancellationToken);
            return;
        }
        await store.TransitionAsync(original, MessageStatus.Acknowledged, answers.Accepted ? "acknowledged" : "acknowledged-negative",
            $"{PartnerText.Escape(answers.Summary)} (message {message.Id})", answers.Accepted ? null : PartnerText.Escape(answers.Summary), cancellationToken);
        await store.AddEventAsync(message.Id, "correlated", $"answers message {original}", cancellationToken);
        if (await store.GetAsync(original, cancellationToken) is { RelatedMessageId: { } whole } part && SplitDelivery.IsPart(part))
        {
            // The answer is about one split part: the interchange it was cut from says so too.
            await store.AddEventAsync(whole, answers.Accepted ? "part-acknowledged" : "part-acknowledged-negative",
                $"split part {part.Id} (interchange {answers.OriginalReference}): {answers.Summary} (message {message.Id})", cancellationToken);
        }
    }
}

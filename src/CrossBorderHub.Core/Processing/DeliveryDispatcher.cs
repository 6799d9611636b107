using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Works the outbox: claims due deliveries, sends each through the partner's channel and records the attempt.
/// RetryLater backs off exponentially (Hub:Delivery) until MaxAttempts, then the message is dead-lettered;
/// Rejected by the partner is final at once.
/// </summary>
public sealed class DeliveryDispatcher(
    IOutbox outbox,
    IMessageStore store,
    IBlobStore blobs,
    ChannelRegistry channels,
    ApplicationAcknowledgements aperaks,
    HubOptions options,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger,
    HubMetrics? metrics = null,
    IStoreBatches? batches = null)
{
    private readonly IStoreBatches _batches = batches ?? UnbatchedStore.Instance;
    private readonly HubMetrics _metrics = metrics ?? new HubMetrics();
    private readonly string _owner = options.InstanceName;

    public async Task<int> DispatchBatchAsync(int max, CancellationToken cancellationToken)
    {
        var due = await outbox.ClaimDueAsync(_owner, time.GetUtcNow(), options.Processing.Lease, max, cancellationToken);
        var sent = await SendAllAsync(due, cancellationToken);
        // The attempts of the batch are recorded in one store batch (one commit where the store gains by it). A send
        // whose record is lost to a crash is sent again under its same name, as before.
        await using var writes = _batches.Begin();
        for (var i = 0; i < due.Count; i++)
        {
            var delivery = due[i];
            var (result, message, activity) = sent[i];
            using (activity)
            {
                var attempt = ToAttempt(delivery, result);
                await outbox.RecordAttemptAsync(delivery, attempt, cancellationToken);
                if (attempt.Delivered)
                {
                    _metrics.Delivered(delivery.Partner, message?.DocumentType, time.GetUtcNow() - (message?.ReceivedAt ?? time.GetUtcNow()));
                }
                else
                {
                    activity.Fail(attempt.Detail);
                    if (attempt.Final)
                    {
                        _metrics.DeadLettered(delivery.Partner, message?.DocumentType);
                    }
                }
                if (attempt.Final)
                {
                    // Delivered, rejected by the destination or given up: the sender may want to hear (APERAK).
                    await AcknowledgeAsync(writes, delivery, attempt, cancellationToken);
                }
            }
        }
        await writes.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>
    /// The APERAK of an ended delivery, undone alone if it fails: the attempts of the batch are recorded whatever
    /// becomes of it, so a defect in building one cannot make the batch's documents go out again and again.
    /// </summary>
    private async Task AcknowledgeAsync(IStoreBatch writes, DeliveryRecord delivery, AttemptResult attempt, CancellationToken cancellationToken)
    {
        if (!aperaks.MayAnswer(attempt.Delivered))
        {
            return; // nothing to answer: no savepoint either (two statements per delivered message at 1,000 a second)
        }
        await writes.BeginItemAsync(cancellationToken);
        try
        {
            await aperaks.DeliveryEndedAsync(delivery.MessageId, delivery.Partner, attempt.Delivered, attempt.Detail, cancellationToken);
            await writes.EndItemAsync(keep: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !StoreOutage.IsStoreFault(ex))
        {
            await writes.EndItemAsync(keep: false, cancellationToken);
            logger.LogError(ex, "The acknowledgement of {MessageId} to {Partner} failed; the delivery is recorded", delivery.MessageId, delivery.Partner);
        }
    }

    /// <summary>
    /// Sends a batch: one at a time per partner unless its channel takes several at once
    /// (<see cref="IOutboundChannel.ConcurrentSends"/>), whose flushes then overlap. A crash after a send and before
    /// its record sends it again under the same name, as before; so does a cancelled batch.
    /// </summary>
    private async Task<(SendResult Result, MessageRecord? Message, System.Diagnostics.Activity? Activity)[]> SendAllAsync(IReadOnlyList<DeliveryRecord> due, CancellationToken cancellationToken)
    {
        var sent = new (SendResult, MessageRecord?, System.Diagnostics.Activity?)[due.Count];
        // The messages of the batch in one read, not one connection per delivery.
        var messages = await store.GetManyAsync(due.Select(d => d.MessageId).ToList(), cancellationToken);
        var byPartner = due.Select((delivery, index) => (delivery, index)).GroupBy(d => d.delivery.Partner, StringComparer.Ordinal);
        await Task.WhenAll(byPartner.Select(async group =>
        {
            var width = Math.Max(1, channels.Outbound(group.Key)?.ConcurrentSends ?? 1);
            await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = width, CancellationToken = cancellationToken }, async (item, token) =>
            {
                var activity = MessageTrace.Start(MessageTrace.Deliver, item.delivery.MessageId, item.delivery.Partner);
                var (result, message) = await SendAsync(item.delivery, messages.GetValueOrDefault(item.delivery.MessageId), token);
                sent[item.index] = (result, message, activity);
            });
        }));
        return sent;
    }

    private async Task<(SendResult Result, MessageRecord? Message)> SendAsync(DeliveryRecord delivery, MessageRecord? message, CancellationToken cancellationToken)
    {
        var channel = channels.Outbound(delivery.Partner);
        if (channel is null)
        {
            return (SendResult.Rejected($"partner {delivery.Partner} has no outbound channel: add Hub:Partners:{delivery.Partner}:Outbound"), null);
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["message-id"] = delivery.MessageId,
            ["source-partner"] = message?.SourcePartner ?? "",
            ["sender"] = message?.Sender ?? "",
            ["recipient"] = message?.Recipient ?? "",
            ["document-type"] = message?.DocumentType ?? "",
        };
        var document = new OutboundDocument(delivery.MessageId, delivery.FileName, delivery.Length,
            _ => ValueTask.FromResult(blobs.OpenRead(delivery.BlobHash)), headers);
        try
        {
            return (await channel.SendAsync(document, cancellationToken), message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // An adapter should return RetryLater itself; an exception is treated the same so one bug cannot lose a document.
            logger.LogError(ex, "Delivery {DeliveryId} of {MessageId} to {Partner} threw", delivery.Id, delivery.MessageId, delivery.Partner);
            return (SendResult.RetryLater($"{ex.GetType().Name}: {ex.Message}"), message);
        }
    }

    private AttemptResult ToAttempt(DeliveryRecord delivery, SendResult result)
    {
        var now = time.GetUtcNow();
        var attempt = delivery.Attempts + 1;
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                logger.LogInformation("Delivered {MessageId} to {Partner} as {FileName}", delivery.MessageId, delivery.Partner, delivery.FileName);
                return new AttemptResult(true, true, result.Detail ?? "delivered", now, null);
            case SendOutcome.Rejected:
                logger.LogWarning("Partner {Partner} rejected {MessageId}: {Detail}", delivery.Partner, delivery.MessageId, result.Detail);
                return new AttemptResult(false, true, "rejected by partner: " + result.Detail, now, null);
            default:
                if (attempt >= options.Delivery.MaxAttempts)
                {
                    logger.LogError("Giving up on {MessageId} to {Partner} after {Attempts} attempts: {Detail}", delivery.MessageId, delivery.Partner, attempt, result.Detail);
                    return new AttemptResult(false, true, $"gave up after {attempt} attempts: {result.Detail}", now, null);
                }
                var delay = Backoff(options.Delivery, attempt);
                logger.LogWarning("Delivery of {MessageId} to {Partner} failed (attempt {Attempt}), retry in {Delay}: {Detail}", delivery.MessageId, delivery.Partner, attempt, delay, result.Detail);
                return new AttemptResult(false, false, $"{result.Detail}; retry in {delay}", now, now + delay);
        }
    }

    /// <summary>InitialBackoff doubled per attempt, capped at MaxBackoff.</summary>
    public static TimeSpan Backoff(DeliveryOptions delivery, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(delivery.InitialBackoff.Ticks * factor, delivery.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}

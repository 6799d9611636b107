using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>The processing loop's batch: inspect every claimed message, then route them through one store batch.</summary>
public sealed partial class MessageProcessor
{
    /// <summary>
    /// Processes up to <paramref name="max"/> received messages; returns how many were taken. Inspection (parsing,
    /// validation: the CPU) runs first, outside any transaction; then the routing writes of the inspected messages go
    /// through one store batch (<see cref="IStoreBatches"/>), each message undone alone if it fails.
    /// </summary>
    public async Task<int> ProcessBatchAsync(int max, CancellationToken cancellationToken)
    {
        var batch = await store.ClaimReceivedAsync(_owner, time.GetUtcNow(), options.Processing.Lease, max, cancellationToken);
        var inspected = new List<Inspected>(batch.Count);
        long bytes = 0;
        foreach (var message in batch)
        {
            var started = time.GetTimestamp();
            Inspection? inspection = null;
            try
            {
                inspection = await InspectStageAsync(message, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (StoreOutage.IsStoreFault(ex))
            {
                // The database, not the message: it stays Received (its lease is freed by the loop) and is processed
                // again once the store answers. Rejecting it here would park a good message behind a manual replay.
                throw;
            }
            catch (Exception ex)
            {
                await ParkAsync(message, ex);
            }
            if (inspection is null)
            {
                Finished(message, started);
                continue;
            }
            inspected.Add(new Inspected(message, inspection, started));
            bytes += message.Length;
            if (bytes >= RouteBatchBytes)
            {
                await RouteAllAsync(inspected, cancellationToken);
                inspected.Clear();
                bytes = 0;
            }
        }
        await RouteAllAsync(inspected, cancellationToken);
        return batch.Count;
    }

    private async Task RouteAllAsync(List<Inspected> inspected, CancellationToken cancellationToken)
    {
        if (inspected.Count == 0)
        {
            return;
        }
        // Disposed without a commit (a store fault, cancellation), the batch undoes every message: they stay Received.
        await using var writes = _batches.Begin();
        foreach (var (message, inspection, started) in inspected)
        {
            await writes.BeginItemAsync(cancellationToken);
            try
            {
                await RouteStageAsync(message, inspection, cancellationToken);
                await writes.EndItemAsync(keep: true, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (StoreOutage.IsStoreFault(ex))
            {
                throw;
            }
            catch (Exception ex)
            {
                // This message's writes are undone; the others of the batch stay.
                await writes.EndItemAsync(keep: false, cancellationToken);
                await ParkAsync(message, ex);
            }
            finally
            {
                Finished(message, started);
            }
        }
        await writes.CommitAsync(cancellationToken);
    }

    /// <summary>A bug or an unavailable dependency: the message is parked with the reason; `hub replay` takes it again.</summary>
    private async Task ParkAsync(MessageRecord message, Exception ex)
    {
        logger.LogError(ex, "Processing {MessageId} failed", message.Id);
        _metrics.Rejected(message.SourcePartner, message.DocumentType);
        await store.TransitionAsync(message.Id, MessageStatus.Rejected, "error",
            $"unexpected error while processing: {ex.GetType().Name}: {PartnerText.Escape(ex.Message)}",
            $"unexpected error while processing ({PartnerText.Escape(ex.Message)}); fix the cause, then run 'hub replay {message.Id}'", CancellationToken.None);
    }

    private void Finished(MessageRecord message, long started)
    {
        _metrics.Processed(message.SourcePartner, message.DocumentType, time.GetElapsedTime(started));
        LargeMessageMemory.ReturnAfter(message.Length);
    }

    private sealed record Inspected(MessageRecord Message, Inspection Inspection, long Started);
}

using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Documents;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// The delivery decision for business documents, taken once a message is valid and has a route: a document already
/// received (same type + number + issuing country + function, any channel, file or interchange) within
/// Hub:Documents:DuplicateWindow is a duplicate; a replacement or cancellation supersedes its original. Every
/// decision is an event on the message; a message whose documents are all duplicates ends Duplicate, undelivered.
/// </summary>
internal sealed class BusinessDuplicates(IMessageStore store, IDocumentStore documents, HubOptions options, TimeProvider time)
{
    /// <summary>False when the message must not be delivered (it is then Duplicate).</summary>
    public async Task<bool> DeliverAsync(MessageRecord message, CancellationToken cancellationToken)
    {
        var decisions = await documents.ClaimAsync(message.Id, options.Documents.DuplicateWindow, time.GetUtcNow(), cancellationToken);
        if (decisions.Count > 0 && decisions.All(d => d.Kind == DocumentDecisionKind.Duplicate))
        {
            var reason = decisions.Count == 1 ? decisions[0].Describe() : $"all {decisions.Count} documents were already received; first: {decisions[0].Describe()}";
            await store.TransitionAsync(message.Id, MessageStatus.Duplicate, "document-duplicate", reason, reason, cancellationToken);
            return false;
        }
        foreach (var decision in decisions)
        {
            var kind = decision.Kind switch
            {
                // Some documents of the interchange are new: it goes out whole, and says which ones were seen before.
                DocumentDecisionKind.Duplicate => "warning",
                DocumentDecisionKind.UnknownOriginal => "warning",
                DocumentDecisionKind.Replaces => "document-replaces",
                DocumentDecisionKind.Cancels => "document-cancels",
                _ => null,
            };
            if (kind is not null)
            {
                await store.AddEventAsync(message.Id, kind, decision.Describe(), cancellationToken);
            }
        }
        return true;
    }
}

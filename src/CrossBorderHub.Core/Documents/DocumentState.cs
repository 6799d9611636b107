namespace CrossBorderHub.Core.Documents;

/// <summary>
/// Where a business document is, like the ePhyto hub's states; follows the message that carried it (Routed ->
/// PendingDelivery, Delivered -> Delivered, DeadLettered -> FailedDelivery, Acknowledged) until a later document
/// replaces or cancels it. Received, Rejected and Duplicate say why a document never went out.
/// </summary>
public enum DocumentState
{
    /// <summary>Identified; validation and the duplicate decision are still to come.</summary>
    Received,
    PendingDelivery,
    Delivered,
    /// <summary>Delivered, with a warning about the document itself (no number, a replacement of an unknown original).</summary>
    DeliveredWithWarnings,
    FailedDelivery,
    Acknowledged,
    /// <summary>A later replacement superseded it.</summary>
    Replaced,
    Cancelled,
    Rejected,
    /// <summary>The same type + number + issuer + function was already received within the window: not delivered again.</summary>
    Duplicate,
}

/// <summary>What the duplicate decision made of one document when its message reached routing.</summary>
public enum DocumentDecisionKind
{
    /// <summary>First of its key (or the earlier one is older than the window): delivered.</summary>
    New,
    /// <summary>No number: never a duplicate, delivered with a warning.</summary>
    NoNumber,
    Duplicate,
    /// <summary>A replacement whose original is known: the original is now Replaced.</summary>
    Replaces,
    /// <summary>A cancellation whose original is known: the original is now Cancelled.</summary>
    Cancels,
    /// <summary>A replacement or cancellation naming an original the hub never received: delivered with a warning.</summary>
    UnknownOriginal,
}

/// <summary>One decision; <see cref="Other"/> is the first copy (Duplicate) or the original (Replaces, Cancels).</summary>
public sealed record DocumentDecision(long DocumentId, string Type, string Number, string Issuer, DocumentFunction Function, DocumentDecisionKind Kind, long? Other = null, string? OtherMessageId = null, string? OtherNumber = null)
{
    public string Describe() => Kind switch
    {
        DocumentDecisionKind.Duplicate => $"{Type} {Number} from {Or(Issuer)} ({Function}) was already received as document {Other} in message {OtherMessageId}: a business duplicate, not delivered again",
        DocumentDecisionKind.Replaces => $"{Type} {Number} from {Or(Issuer)} replaces {OtherNumber} (document {Other}, message {OtherMessageId}), which is now Replaced",
        DocumentDecisionKind.Cancels => $"{Type} {Number} from {Or(Issuer)} cancels {OtherNumber} (document {Other}, message {OtherMessageId}), which is now Cancelled",
        DocumentDecisionKind.UnknownOriginal => $"{Type} {Number} from {Or(Issuer)} is a {Function.ToString().ToLowerInvariant()} of {OtherNumber}, which the hub never received: delivered with a warning",
        _ => $"{Type} {Number} from {Or(Issuer)} ({Function}): first received",
    };

    private static string Or(string issuer) => issuer.Length == 0 ? "(no country)" : issuer;
}

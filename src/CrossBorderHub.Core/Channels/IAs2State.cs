namespace CrossBorderHub.Core.Channels;

/// <summary>
/// The port for what AS2 keeps beyond one request: the Message-IDs already stored (so a resend is answered with the
/// same MDN, not stored twice) and the outbound messages waiting for their asynchronous MDN. The receiving station and
/// the sending channels share it: in the message store (Storage's DapperAs2State) so that any instance can answer a
/// resend or take an asynchronous MDN; FileAs2State (files under DataRoot/as2) where no store is wired (tools, tests).
/// </summary>
public interface IAs2State
{
    /// <summary>The message a partner sent earlier under this Message-ID, with the answer it got; null if not stored (or forgotten).</summary>
    Task<As2SeenMessage?> FindSeenAsync(string partner, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers a stored message and its answer. Records older than the store's retention are forgotten by the store
    /// itself; a resend after that is stored again (and is a duplicate for the message store).
    /// </summary>
    Task RememberSeenAsync(As2SeenMessage message, CancellationToken cancellationToken);

    /// <summary>An outbound message waiting for (or answered by) an asynchronous MDN, with the verdict when one came in.</summary>
    Task<As2PendingMdn?> FindPendingAsync(string as2MessageId, CancellationToken cancellationToken);

    /// <summary>
    /// Written by the sender before and after each POST (before: so an MDN faster than the HTTP answer finds it). Never
    /// touches the verdict, which the receiving side may write at the same moment.
    /// </summary>
    Task SavePendingAsync(As2PendingMdn pending, CancellationToken cancellationToken);

    /// <summary>Written by the receiving side when the MDN arrives; null clears it before a resend (the old verdict no longer applies).</summary>
    Task SaveVerdictAsync(string as2MessageId, As2MdnVerdict? verdict, CancellationToken cancellationToken);
}

/// <summary>A message stored earlier: where it went and the answer (status, headers, body, async URL) it got.</summary>
public sealed record As2SeenMessage(string Partner, string MessageId, string StoredAs, DateTimeOffset At, int Status,
    Dictionary<string, string> Headers, string BodyBase64, string? AsyncUrl);

public enum As2MdnState
{
    Waiting,
    Acknowledged,
    Failed,
}

/// <summary>An outbound message and what its asynchronous MDN must say (the MIC) and be signed with (the partner's certificates).</summary>
public sealed record As2PendingMdn(
    string As2MessageId, string DocumentId, string Partner, string PartnerAs2Id, string ExpectedMic,
    DateTimeOffset SentAt, List<string> PartnerCertificatePem, As2MdnState State = As2MdnState.Waiting, string? Detail = null,
    DateTimeOffset? AnsweredAt = null, int Sends = 1, bool Posted = false);

/// <summary>What the asynchronous MDN said, kept apart from the pending record so sender and receiver never overwrite each other.</summary>
public sealed record As2MdnVerdict(As2MdnState State, string Detail, DateTimeOffset At);

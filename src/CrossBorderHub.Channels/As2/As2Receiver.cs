using System.Security.Cryptography;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// The AS2 receiving station (RFC 4130) without ASP.NET, as a sequence of small parts: <see cref="As2Admission"/>
/// checks the headers, <see cref="As2Spool"/> puts the body on disk under the size limit, an asynchronous MDN goes to
/// <see cref="As2AsyncMdnCorrelator"/>, a resend is answered from <see cref="IAs2State"/>, anything else is taken apart
/// by <see cref="As2Unwrapper"/>, stored through the sink (durable before any positive MDN) and answered by
/// <see cref="As2MdnAnswer"/>, synchronously or by POST to the partner's URL.
/// </summary>
public sealed class As2Receiver
{
    private readonly As2ReceiverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAs2State _state;
    private readonly As2Admission _admission;
    private readonly As2Spool _spool;
    private readonly As2Unwrapper _unwrapper;
    private readonly As2MdnAnswer _answers;
    private readonly As2AsyncMdnCorrelator _asyncMdns;
    private readonly As2MessageLocks _locks = new();

    /// <param name="state">Seen messages and pending MDNs; by default the files under <see cref="As2ReceiverOptions.DataRoot"/>.</param>
    public As2Receiver(As2ReceiverOptions options, TimeProvider time, ILogger<As2Receiver> logger, IAs2State? state = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _state = state ?? new FileAs2State(options.DataRoot, options.SeenRetention, logger);
        _admission = new As2Admission(options, logger);
        _spool = new As2Spool(options, logger);
        _unwrapper = new As2Unwrapper(options);
        _answers = new As2MdnAnswer(options.HubCertificate, time);
        _asyncMdns = new As2AsyncMdnCorrelator(_state, time, RecordAsync, logger);
        _spool.RemoveOrphans(time.GetUtcNow());
    }

    /// <summary>
    /// Where audit events go (the host wires it to IMessageStore.AddEventAsync): the MDN sent for a stored message,
    /// a resend answered without storing, an asynchronous MDN for a document the hub sent. Failures never block receipt.
    /// </summary>
    public Func<As2Event, CancellationToken, Task>? Events { get; init; }

    private async Task RecordAsync(string messageId, string kind, string detail, CancellationToken cancellationToken)
    {
        if (Events is null)
        {
            return;
        }
        try
        {
            await Events(new As2Event(messageId, kind, detail), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Data.Common.DbException)
        {
            _logger.LogWarning("AS2 event {Kind} for {MessageId} not recorded: {Reason}", kind, PartnerText.Escape(messageId), PartnerText.Escape(ex.Message));
        }
    }

    public async Task<As2Response> HandleAsync(As2Request request, IInboundSink sink, CancellationToken cancellationToken)
    {
        if (_admission.Admit(request, out var refusal) is not { } admitted)
        {
            return refusal!;
        }
        var (partner, messageId) = (admitted.Partner, admitted.MessageId);
        var spool = _spool.NewPath();
        try
        {
            if (!await _spool.WriteAsync(request.Body, spool, cancellationToken))
            {
                _logger.LogWarning("AS2 message {MessageId} from {Partner} refused: body exceeds the limit of {Limit} bytes", PartnerText.Escape(messageId), partner.Partner, _options.MaxBodyBytes);
                return As2Response.Text(413, $"body exceeds the limit of {_options.MaxBodyBytes} bytes");
            }
            var contentHeaders = request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)).ToList();
            // An MDN is small; a body of 4 MiB or more is a message and is not read into memory to find out.
            if (admitted.ContentType.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && new FileInfo(spool).Length < 4 * 1024 * 1024)
            {
                var candidate = RawMimeEntity.FromHeadersAndBody(contentHeaders, await File.ReadAllBytesAsync(spool, cancellationToken));
                if (As2AsyncMdnCorrelator.IsMdn(candidate))
                {
                    return await _asyncMdns.ReceiveAsync(candidate, partner, admitted.From, cancellationToken);
                }
            }
            if (string.IsNullOrEmpty(messageId))
            {
                return As2Response.Text(400, "Message-ID header is required (RFC 4130 section 5.3.3)");
            }
            using var _ = await _locks.EnterAsync(partner.Partner, messageId, cancellationToken);
            if (await _state.FindSeenAsync(partner.Partner, messageId, cancellationToken) is { } seen)
            {
                _logger.LogWarning("AS2 message {MessageId} from {Partner} is a resend of one stored as {StoredAs} at {At}: answered with the same MDN, not stored again", PartnerText.Escape(messageId), partner.Partner, seen.StoredAs, seen.At);
                await RecordAsync(seen.StoredAs, "as2-resend", $"AS2 Message-ID {messageId} from {partner.Partner} received again; answered with the same MDN, not stored again", cancellationToken);
                return As2MdnAnswer.Replay(seen);
            }
            var decrypted = spool + ".decrypted";
            try
            {
                return await ReceiveMessageAsync(request, admitted, messageId, contentHeaders, spool, decrypted, sink, cancellationToken);
            }
            finally
            {
                File.Delete(decrypted);
            }
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private async Task<As2Response> ReceiveMessageAsync(
        As2Request request, As2Admitted admitted, string messageId, List<KeyValuePair<string, string>> contentHeaders, string spool, string decrypted, IInboundSink sink, CancellationToken cancellationToken)
    {
        var partner = admitted.Partner;
        var mdnRequest = As2MdnRequest.From(request);
        As2Unwrapped unwrapped;
        try
        {
            unwrapped = await _unwrapper.UnwrapAsync(contentHeaders, spool, decrypted, partner, mdnRequest, cancellationToken);
        }
        catch (As2SecurityException ex)
        {
            _logger.LogWarning("AS2 message {MessageId} from {Partner} rejected ({Modifier}): {Reason}; nothing stored", PartnerText.Escape(messageId), partner.Partner, ex.Modifier, PartnerText.Escape(ex.Message));
            return _answers.Answer(admitted.To, partner, messageId, mdnRequest, mic: null, ex.Modifier, $"The AS2 message {messageId} was not processed: {ex.Message}.");
        }
        catch (FormatException ex)
        {
            _logger.LogWarning("AS2 message {MessageId} from {Partner} rejected: malformed MIME ({Reason}); nothing stored", PartnerText.Escape(messageId), partner.Partner, PartnerText.Escape(ex.Message));
            return _answers.Answer(admitted.To, partner, messageId, mdnRequest, mic: null, "unexpected-processing-error", $"The AS2 message {messageId} was not processed: malformed MIME ({ex.Message}).");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or System.Formats.Asn1.AsnContentException or InvalidDataException)
        {
            _logger.LogWarning(ex, "AS2 message {MessageId} from {Partner} rejected: {Reason}; nothing stored", PartnerText.Escape(messageId), partner.Partner, PartnerText.Escape(ex.Message));
            return _answers.Answer(admitted.To, partner, messageId, mdnRequest, mic: null, "unexpected-processing-error", $"The AS2 message {messageId} was not processed: {ex.Message}.");
        }

        AcceptResult accepted;
        try
        {
            await using var payload = unwrapped.OpenPayload();
            accepted = await sink.AcceptAsync(new InboundOrigin(partner.Partner, "as2", unwrapped.FileName, OriginHeaders(request, admitted, messageId, unwrapped)), payload, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Not stored: no MDN at all, so the partner resends later and nothing is lost.
            _logger.LogError(ex, "AS2 message {MessageId} from {Partner} could not be stored; answered 503 so the partner resends", PartnerText.Escape(messageId), partner.Partner);
            return As2Response.Text(503, "the message could not be stored durably; send it again later");
        }
        var layers = $"signed={unwrapped.Signed}, encrypted={unwrapped.Encrypted}, compressed={unwrapped.Compressed}";
        _logger.LogInformation("AS2 message {MessageId} from {Partner} stored as {StoredAs} ({File}, {Bytes} bytes, signed={Signed}, encrypted={Encrypted}, compressed={Compressed})",
            PartnerText.Escape(messageId), partner.Partner, accepted.MessageId, PartnerText.Escape(unwrapped.FileName), unwrapped.PayloadLength, unwrapped.Signed, unwrapped.Encrypted, unwrapped.Compressed);
        var response = _answers.Answer(admitted.To, partner, messageId, mdnRequest, unwrapped.Mic, modifier: null,
            $"The AS2 message {messageId} was received and stored as {accepted.MessageId}. This MDN does not say the content was valid.");
        await RecordAsync(accepted.MessageId, "as2-mdn", $"AS2 Message-ID {messageId} from {partner.Partner}: {mdnRequest.Describe(unwrapped.Mic)}; {layers}", cancellationToken);
        await _state.RememberSeenAsync(new As2SeenMessage(partner.Partner, messageId, accepted.MessageId, _time.GetUtcNow(), response.Status,
            new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase),
            Convert.ToBase64String(response.AsyncMdn?.Body ?? response.Body), response.AsyncMdn?.Url.ToString()), cancellationToken);
        return response;
    }

    /// <summary>The AS2 facts the message store keeps with the message (its origin headers).</summary>
    private static Dictionary<string, string> OriginHeaders(As2Request request, As2Admitted admitted, string messageId, As2Unwrapped unwrapped)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["AS2-From"] = admitted.From,
            ["AS2-To"] = admitted.To,
            ["Message-ID"] = messageId,
            ["AS2-Signed"] = unwrapped.Signed ? "true" : "false",
            ["AS2-Encrypted"] = unwrapped.Encrypted ? "true" : "false",
            ["AS2-Compressed"] = unwrapped.Compressed ? "true" : "false",
        };
        if (request.Header("Subject") is { } subject)
        {
            headers["Subject"] = subject;
        }
        return headers;
    }
}

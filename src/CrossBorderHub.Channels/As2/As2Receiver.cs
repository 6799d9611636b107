using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// The AS2 receiving station (RFC 4130) without ASP.NET: checks the AS2 headers, spools the body to disk under a size
/// limit, decrypts, verifies against the partner's pinned certificates, decompresses, stores the payload through the
/// sink (durable before any positive MDN) and answers with an MDN, synchronously or by POST to the partner's URL.
/// An incoming asynchronous MDN for something the hub sent is matched to its pending record instead.
/// </summary>
public sealed class As2Receiver
{
    private readonly As2ReceiverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly As2SeenMessages _seen;
    private readonly As2PendingMdns _pending;
    private long _storedSincePrune;
    // Striped: one Message-ID is handled by one request at a time, without a lock object per Message-ID ever seen.
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public As2Receiver(As2ReceiverOptions options, TimeProvider time, ILogger<As2Receiver> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _seen = new As2SeenMessages(options.DataRoot);
        _pending = new As2PendingMdns(options.DataRoot);
        RemoveOrphanedSpoolFiles();
    }

    /// <summary>Spool files a crash left behind: their senders got no MDN and resend, so they are only clutter.</summary>
    private void RemoveOrphanedSpoolFiles()
    {
        if (!Directory.Exists(_options.SpoolFolder))
        {
            return;
        }
        var cutoff = _time.GetUtcNow().UtcDateTime.AddHours(-1);
        foreach (var file in Directory.EnumerateFiles(_options.SpoolFolder))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff)
                {
                    File.Delete(file);
                }
            }
            catch (IOException ex)
            {
                _logger.LogWarning("AS2 spool file {File} not removed: {Reason}", PartnerText.Escape(file), PartnerText.Escape(ex.Message));
            }
        }
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
        var from = Unquote(request.Header("AS2-From"));
        var to = Unquote(request.Header("AS2-To"));
        var messageId = request.Header("Message-ID")?.Trim();
        var contentType = request.Header("Content-Type");
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to) || string.IsNullOrEmpty(contentType))
        {
            _logger.LogWarning("AS2 request refused: AS2-From, AS2-To or Content-Type missing");
            return As2Response.Text(400, "AS2-From, AS2-To and Content-Type headers are required (RFC 4130 section 6)");
        }
        if (!_options.HubIds.Contains(to, StringComparer.Ordinal))
        {
            _logger.LogWarning("AS2 message {MessageId} from {From} refused: AS2-To {To} is not this hub ({HubIds})", PartnerText.Escape(messageId), PartnerText.Escape(from), PartnerText.Escape(to), string.Join(", ", _options.HubIds));
            return As2Response.Text(403, $"AS2-To '{to}' is not an identifier of this station");
        }
        var partner = _options.Partners.FirstOrDefault(p => string.Equals(p.As2Id, from, StringComparison.Ordinal));
        if (partner is null)
        {
            _logger.LogWarning("AS2 message {MessageId} refused: AS2-From {From} is no configured partner", PartnerText.Escape(messageId), PartnerText.Escape(from));
            return As2Response.Text(403, $"AS2-From '{from}' is not a configured trading partner of this station");
        }
        if (request.ContentLength > _options.MaxBodyBytes)
        {
            _logger.LogWarning("AS2 message {MessageId} from {Partner} refused: {Length} bytes exceed the limit of {Limit}", PartnerText.Escape(messageId), partner.Partner, request.ContentLength, _options.MaxBodyBytes);
            return As2Response.Text(413, $"body of {request.ContentLength} bytes exceeds the limit of {_options.MaxBodyBytes} bytes");
        }
        Directory.CreateDirectory(_options.SpoolFolder);
        var spool = Path.Combine(_options.SpoolFolder, Guid.NewGuid().ToString("N") + ".body");
        try
        {
            if (!await SpoolAsync(request.Body, spool, cancellationToken))
            {
                _logger.LogWarning("AS2 message {MessageId} from {Partner} refused: body exceeds the limit of {Limit} bytes", PartnerText.Escape(messageId), partner.Partner, _options.MaxBodyBytes);
                return As2Response.Text(413, $"body exceeds the limit of {_options.MaxBodyBytes} bytes");
            }
            var contentHeaders = request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)).ToList();
            var length = new FileInfo(spool).Length;
            if (contentType.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && length < 4 * 1024 * 1024)
            {
                var candidate = RawMimeEntity.FromHeadersAndBody(contentHeaders, await File.ReadAllBytesAsync(spool, cancellationToken));
                if (IsMdn(candidate))
                {
                    return await ReceiveAsyncMdnAsync(candidate, partner, from, cancellationToken);
                }
            }
            if (string.IsNullOrEmpty(messageId))
            {
                return As2Response.Text(400, "Message-ID header is required (RFC 4130 section 5.3.3)");
            }
            var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode($"{partner.Partner}|{messageId}") % (uint)_locks.Length)];
            await gate.WaitAsync(cancellationToken);
            try
            {
                var seen = _seen.Find(partner.Partner, messageId);
                if (seen is not null)
                {
                    _logger.LogWarning("AS2 message {MessageId} from {Partner} is a resend of one stored as {StoredAs} at {At}: answered with the same MDN, not stored again", PartnerText.Escape(messageId), partner.Partner, seen.StoredAs, seen.At);
                    await RecordAsync(seen.StoredAs, "as2-resend", $"AS2 Message-ID {messageId} from {partner.Partner} received again; answered with the same MDN, not stored again", cancellationToken);
                    return Replay(seen);
                }
                return await ReceiveMessageAsync(request, contentHeaders, spool, partner, messageId, sink, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private async Task<bool> SpoolAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > _options.MaxBodyBytes)
            {
                return false;
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return true;
    }

    private async Task<As2Response> ReceiveMessageAsync(
        As2Request request, List<KeyValuePair<string, string>> contentHeaders, string spool, As2PartnerProfile partner, string messageId, IInboundSink sink, CancellationToken cancellationToken)
    {
        var decrypted = spool + ".decrypted";
        try
        {
            return await ReceiveMessageCoreAsync(request, contentHeaders, spool, decrypted, partner, messageId, sink, cancellationToken);
        }
        finally
        {
            File.Delete(decrypted);
        }
    }

    private async Task<As2Response> ReceiveMessageCoreAsync(
        As2Request request, List<KeyValuePair<string, string>> contentHeaders, string spool, string decrypted, As2PartnerProfile partner, string messageId, IInboundSink sink, CancellationToken cancellationToken)
    {
        var mdnRequest = As2MdnRequest.From(request);
        Unwrapped unwrapped;
        try
        {
            unwrapped = UnwrapStreaming(contentHeaders, spool, decrypted, partner, mdnRequest)
                ?? Unwrap(RawMimeEntity.FromHeadersAndBody(contentHeaders, await File.ReadAllBytesAsync(spool, cancellationToken)), partner, mdnRequest);
            if (partner.RequireEncryption && !unwrapped.Encrypted)
            {
                throw new As2SecurityException("insufficient-message-security", $"partner {partner.Partner} must encrypt, but the message is not encrypted");
            }
            if (partner.RequireSignature && !unwrapped.Signed)
            {
                throw new As2SecurityException("insufficient-message-security", $"partner {partner.Partner} must sign, but the message is not signed");
            }
        }
        catch (As2SecurityException ex)
        {
            _logger.LogWarning("AS2 message {MessageId} from {Partner} rejected ({Modifier}): {Reason}; nothing stored", PartnerText.Escape(messageId), partner.Partner, ex.Modifier, PartnerText.Escape(ex.Message));
            return Answer(request, partner, messageId, mdnRequest, mic: null, ex.Modifier, $"The AS2 message {messageId} was not processed: {ex.Message}.");
        }
        catch (FormatException ex)
        {
            _logger.LogWarning("AS2 message {MessageId} from {Partner} rejected: malformed MIME ({Reason}); nothing stored", PartnerText.Escape(messageId), partner.Partner, PartnerText.Escape(ex.Message));
            return Answer(request, partner, messageId, mdnRequest, mic: null, "unexpected-processing-error", $"The AS2 message {messageId} was not processed: malformed MIME ({ex.Message}).");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or System.Formats.Asn1.AsnContentException or InvalidDataException)
        {
            _logger.LogWarning(ex, "AS2 message {MessageId} from {Partner} rejected: {Reason}; nothing stored", PartnerText.Escape(messageId), partner.Partner, PartnerText.Escape(ex.Message));
            return Answer(request, partner, messageId, mdnRequest, mic: null, "unexpected-processing-error", $"The AS2 message {messageId} was not processed: {ex.Message}.");
        }

        AcceptResult accepted;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["AS2-From"] = Unquote(request.Header("AS2-From"))!,
            ["AS2-To"] = Unquote(request.Header("AS2-To"))!,
            ["Message-ID"] = messageId,
            ["AS2-Signed"] = unwrapped.Signed ? "true" : "false",
            ["AS2-Encrypted"] = unwrapped.Encrypted ? "true" : "false",
            ["AS2-Compressed"] = unwrapped.Compressed ? "true" : "false",
        };
        if (request.Header("Subject") is { } subject)
        {
            headers["Subject"] = subject;
        }
        try
        {
            await using var payload = unwrapped.OpenPayload();
            accepted = await sink.AcceptAsync(new InboundOrigin(partner.Partner, "as2", unwrapped.FileName, headers), payload, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Not stored: no MDN at all, so the partner resends later and nothing is lost.
            _logger.LogError(ex, "AS2 message {MessageId} from {Partner} could not be stored; answered 503 so the partner resends", PartnerText.Escape(messageId), partner.Partner);
            return As2Response.Text(503, "the message could not be stored durably; send it again later");
        }
        var mic = unwrapped.Mic;
        _logger.LogInformation("AS2 message {MessageId} from {Partner} stored as {StoredAs} ({File}, {Bytes} bytes, signed={Signed}, encrypted={Encrypted}, compressed={Compressed})",
            PartnerText.Escape(messageId), partner.Partner, accepted.MessageId, PartnerText.Escape(unwrapped.FileName), unwrapped.PayloadLength, unwrapped.Signed, unwrapped.Encrypted, unwrapped.Compressed);
        var response = Answer(request, partner, messageId, mdnRequest, mic, modifier: null,
            $"The AS2 message {messageId} was received and stored as {accepted.MessageId}. This MDN does not say the content was valid.");
        await RecordAsync(accepted.MessageId, "as2-mdn", $"AS2 Message-ID {messageId} from {partner.Partner}: {(mdnRequest.Wanted ? (mdnRequest.AsyncUrl is null ? "synchronous" : "asynchronous to " + mdnRequest.AsyncUrl) + (mdnRequest.Signed ? " signed" : " unsigned") + " MDN, processed, Received-Content-MIC " + mic : "no MDN requested")}; signed={unwrapped.Signed}, encrypted={unwrapped.Encrypted}, compressed={unwrapped.Compressed}", cancellationToken);
        if (Interlocked.Increment(ref _storedSincePrune) % 1000 == 1)
        {
            var removed = _seen.Prune(_time.GetUtcNow() - _options.SeenRetention);
            if (removed > 0)
            {
                _logger.LogInformation("AS2: forgot {Count} Message-IDs older than {Retention}", removed, _options.SeenRetention);
            }
        }
        _seen.Add(new As2SeenMessages.Record(partner.Partner, messageId, accepted.MessageId, _time.GetUtcNow(), response.Status,
            new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase),
            Convert.ToBase64String(response.AsyncMdn?.Body ?? response.Body), response.AsyncMdn?.Url.ToString()));
        return response;
    }

    private sealed record Unwrapped(Func<Stream> OpenPayload, long PayloadLength, string FileName, string Mic, bool Signed, bool Encrypted, bool Compressed);

    /// <summary>
    /// Large encrypted + signed messages are decrypted file to file and verified by scanning, so memory stays flat.
    /// Null when the message is small or has a shape the streaming path does not handle: the in-memory path runs.
    /// </summary>
    private Unwrapped? UnwrapStreaming(List<KeyValuePair<string, string>> contentHeaders, string spool, string decrypted, As2PartnerProfile partner, As2MdnRequest mdnRequest)
    {
        var top = RawMimeEntity.FromHeadersAndBody(contentHeaders, ReadOnlyMemory<byte>.Empty);
        var encoding = top.Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant();
        if (new FileInfo(spool).Length < _options.StreamingThresholdBytes
            || top.MediaType is not ("application/pkcs7-mime" or "application/x-pkcs7-mime")
            || top.ContentType.Parameters["smime-type"]?.ToLowerInvariant() is "compressed-data"
            || encoding is "base64" or "quoted-printable")
        {
            return null;
        }
        try
        {
            if (!As2StreamingDecryptor.TryDecrypt(spool, decrypted, _options.HubCertificate))
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException or IOException)
        {
            throw new As2SecurityException("decryption-failed", $"cannot decrypt the message with the hub's certificate {_options.HubCertificate.Subject} ({ex.Message})", ex);
        }
        var result = As2StreamingSigned.TryVerify(decrypted, partner.Pinned(), mdnRequest.MicAlgorithm, mdnRequest.MicToken);
        if (result is null)
        {
            return null;
        }
        return new Unwrapped(() => new FileRangeStream(decrypted, result.PayloadOffset, result.PayloadLength), result.PayloadLength, result.FileName, result.Mic, Signed: true, Encrypted: true, Compressed: false);
    }

    private Unwrapped Unwrap(RawMimeEntity top, As2PartnerProfile partner, As2MdnRequest mdnRequest)
    {
        var entity = top;
        // RFC 4130 7.3.1: the MIC is over the signed entity when signed, else over the decrypted entity, else the payload.
        ReadOnlyMemory<byte>? signedContent = null;
        ReadOnlyMemory<byte>? decryptedContent = null;
        bool signed = false, encrypted = false, compressed = false;
        HashAlgorithmName? signerDigest = null;
        for (var depth = 0; depth < 8; depth++)
        {
            var mediaType = entity.MediaType;
            if (mediaType is "application/pkcs7-mime" or "application/x-pkcs7-mime")
            {
                var smimeType = entity.ContentType.Parameters["smime-type"]?.ToLowerInvariant();
                byte[] der;
                try
                {
                    der = entity.DecodedBody();
                }
                catch (FormatException ex)
                {
                    throw new As2SecurityException(smimeType == "compressed-data" ? "decompression-failed" : "decryption-failed", $"the pkcs7-mime body cannot be decoded ({ex.Message})", ex);
                }
                if (smimeType == "compressed-data")
                {
                    entity = RawMimeEntity.Parse(As2Cms.Decompress(der));
                    compressed = true;
                }
                else
                {
                    var plain = As2Cms.Decrypt(der, _options.HubCertificate);
                    encrypted = true;
                    decryptedContent ??= plain;
                    entity = RawMimeEntity.Parse(plain);
                }
            }
            else if (mediaType == "multipart/signed")
            {
                IReadOnlyList<RawMimeEntity> parts;
                try
                {
                    parts = entity.Parts();
                }
                catch (FormatException ex)
                {
                    throw new As2SecurityException("integrity-check-failed", $"the signed message is incomplete ({ex.Message})", ex);
                }
                if (parts.Count < 2)
                {
                    throw new As2SecurityException("integrity-check-failed", "the multipart/signed message has no signature part");
                }
                var (digest, content) = As2Cms.VerifyDetachedTolerant(parts[0].Raw, parts[1].DecodedBody(), partner.Pinned());
                signerDigest = digest;
                signed = true;
                signedContent ??= content;
                entity = RawMimeEntity.Parse(content);
            }
            else
            {
                var payload = entity.DecodedBody();
                var micDigest = mdnRequest.MicAlgorithm ?? signerDigest ?? HashAlgorithmName.SHA256;
                var mic = As2MimeBuilder.Mic((signedContent ?? decryptedContent ?? entity.Body).Span, micDigest, mdnRequest.MicToken);
                return new Unwrapped(() => new MemoryStream(payload, writable: false), payload.Length, FileNameOf(entity), mic, signed, encrypted, compressed);
            }
        }
        throw new As2SecurityException("unexpected-processing-error", "the message nests more than 8 security layers");
    }

    private static string FileNameOf(RawMimeEntity entity)
    {
        var disposition = entity.Header("Content-Disposition");
        if (disposition is not null && ContentDisposition.TryParse(disposition, out var parsed) && !string.IsNullOrWhiteSpace(parsed.FileName))
        {
            return SafeFileName.From(parsed.FileName);
        }
        var name = entity.ContentType.Name;
        return string.IsNullOrWhiteSpace(name) ? "as2-payload.dat" : SafeFileName.From(name);
    }

    private As2Response Answer(As2Request request, As2PartnerProfile partner, string messageId, As2MdnRequest mdnRequest, string? mic, string? modifier, string explanation)
    {
        if (!mdnRequest.Wanted)
        {
            return modifier is null
                ? As2Response.Text(200, "received")
                : As2Response.Text(400, explanation);
        }
        var hubId = Unquote(request.Header("AS2-To"))!;
        var mdn = As2Mdn.Build(hubId, messageId, mic, modifier, explanation,
            mdnRequest.Signed ? _options.HubCertificate : null, mdnRequest.MicAlgorithm ?? HashAlgorithmName.SHA256, _time.GetUtcNow());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["AS2-Version"] = "1.2",
            ["AS2-From"] = Quote(hubId),
            ["AS2-To"] = Quote(partner.As2Id),
            ["Message-ID"] = $"<{Guid.NewGuid():N}@{SafeHost(hubId)}>",
            ["MIME-Version"] = "1.0",
            ["Content-Type"] = mdn.ContentType,
            ["Date"] = _time.GetUtcNow().ToString("r"),
            ["Subject"] = "Message Disposition Notification",
        };
        if (mdnRequest.AsyncUrl is not null)
        {
            return new As2Response(200, As2Response.Text(200, "MDN will be sent asynchronously").Headers, "MDN will be sent asynchronously\n"u8.ToArray(),
                new As2AsyncMdn(mdnRequest.AsyncUrl, headers, mdn.Body));
        }
        return new As2Response(200, headers, mdn.Body);
    }

    private static As2Response Replay(As2SeenMessages.Record seen)
    {
        var body = Convert.FromBase64String(seen.BodyBase64);
        return seen.AsyncUrl is null
            ? new As2Response(seen.Status, seen.Headers, body)
            : new As2Response(200, As2Response.Text(200, "MDN will be sent asynchronously").Headers, "MDN will be sent asynchronously\n"u8.ToArray(),
                new As2AsyncMdn(new Uri(seen.AsyncUrl), seen.Headers, body));
    }

    private static bool IsMdn(RawMimeEntity top)
    {
        if (top.MediaType == "multipart/report")
        {
            return true;
        }
        if (top.MediaType != "multipart/signed")
        {
            return false;
        }
        try
        {
            var parts = top.Parts();
            return parts.Count > 0 && parts[0].MediaType == "multipart/report";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An asynchronous MDN answering something the hub sent: verify it and record the verdict for the sender.</summary>
    private async Task<As2Response> ReceiveAsyncMdnAsync(RawMimeEntity top, As2PartnerProfile partner, string from, CancellationToken cancellationToken)
    {
        As2MdnReport? report = null;
        try
        {
            // Read once without verifying to find the pending record (and so the certificates the sender pinned).
            var unverified = top.MediaType == "multipart/signed" ? top.Parts()[0] : top;
            var original = As2Mdn.Read(unverified, []).OriginalMessageId;
            var record = original is null ? null : _pending.Find(original);
            if (record is null)
            {
                _logger.LogWarning("AS2 MDN from {Partner} for unknown Original-Message-ID {Original}: ignored", partner.Partner, PartnerText.Escape(original));
                return As2Response.Text(200, "MDN received; no pending message matches it");
            }
            var pinned = new X509Certificate2Collection();
            foreach (var pem in record.PartnerCertificatePem)
            {
                pinned.ImportFromPem(pem);
            }
            pinned.AddRange(partner.Pinned());
            report = As2Mdn.Read(top, pinned);
            var verdict = As2MdnCheck.Judge(report, record.ExpectedMic);
            _pending.SaveVerdict(original!, new As2PendingMdns.Verdict(
                verdict.Delivered ? As2PendingMdns.State.Acknowledged : As2PendingMdns.State.Failed, verdict.Detail, _time.GetUtcNow()));
            _logger.LogInformation("AS2 async MDN from {Partner} for {Original} (document {Document}): {Detail}", partner.Partner, PartnerText.Escape(original), record.DocumentId, PartnerText.Escape(verdict.Detail));
            await RecordAsync(record.DocumentId, verdict.Delivered ? "as2-mdn-acknowledged" : "as2-mdn-failed", $"asynchronous MDN from {partner.Partner} for {original}: {verdict.Detail}", cancellationToken);
            return As2Response.Text(200, "MDN received");
        }
        catch (As2SecurityException ex)
        {
            _logger.LogWarning("AS2 async MDN from {From} rejected: {Reason}", PartnerText.Escape(from), PartnerText.Escape(ex.Message));
            return As2Response.Text(403, $"MDN signature not accepted: {ex.Message}");
        }
        catch (FormatException ex)
        {
            _logger.LogWarning("AS2 async MDN from {From} unreadable: {Reason}", PartnerText.Escape(from), PartnerText.Escape(ex.Message));
            return As2Response.Text(400, $"MDN not readable: {ex.Message}");
        }
    }

    internal static string? Unquote(string? value) => value?.Trim().Trim('"');

    private static string Quote(string value) => value.Any(c => c is ' ' or '"' or '\\') ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;

    private static string SafeHost(string id) => new(id.Where(char.IsLetterOrDigit).DefaultIfEmpty('x').ToArray());

    /// <summary>What the Disposition-Notification-* headers ask for.</summary>
    private sealed record As2MdnRequest(bool Wanted, bool Signed, HashAlgorithmName? MicAlgorithm, string? MicToken, Uri? AsyncUrl)
    {
        public static As2MdnRequest From(As2Request request)
        {
            var wanted = !string.IsNullOrWhiteSpace(request.Header("Disposition-Notification-To"));
            var options = request.Header("Disposition-Notification-Options") ?? "";
            var signed = false;
            HashAlgorithmName? digest = null;
            string? token = null;
            foreach (var parameter in options.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = parameter.IndexOf('=');
                if (equals < 0)
                {
                    continue;
                }
                var name = parameter[..equals].Trim().ToLowerInvariant();
                var values = parameter[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (name == "signed-receipt-protocol")
                {
                    signed = values.Skip(1).Any(v => v.Equals("pkcs7-signature", StringComparison.OrdinalIgnoreCase));
                }
                else if (name == "signed-receipt-micalg")
                {
                    foreach (var value in values.Skip(1))
                    {
                        if (As2Algorithms.Digest(value) is { } supported)
                        {
                            digest = supported;
                            token = value.ToLowerInvariant();
                            break;
                        }
                    }
                }
            }
            Uri? asyncUrl = null;
            var delivery = request.Header("Receipt-Delivery-Option");
            if (wanted && !string.IsNullOrWhiteSpace(delivery) && Uri.TryCreate(delivery.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                asyncUrl = url;
            }
            return new As2MdnRequest(wanted, signed, digest, token, asyncUrl);
        }
    }
}

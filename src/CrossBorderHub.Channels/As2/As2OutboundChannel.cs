using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>
/// Sends one document by AS2: payload entity, optional compression, signature, encryption, POST, then the MDN.
/// The AS2 Message-ID is derived from the document id, so a retried send reuses it and a receiver that already
/// stored it answers with its first MDN instead of storing twice. Sync MDN: Delivered only when the MDN is positive,
/// correctly signed by a pinned partner certificate and its MIC equals ours. Async MDN: see <see cref="SendAsync"/>;
/// what is known about an earlier POST comes from <see cref="As2AsyncMdnCorrelator"/>.
/// </summary>
internal sealed class As2OutboundChannel : IOutboundChannel
{
    private readonly ChannelSettings _settings;
    private readonly As2OutboundOptions _options;
    private readonly Func<X509Certificate2Collection> _loadPartnerCertificates;
    private readonly Func<X509Certificate2> _hubCertificate;
    private readonly HttpClient _http;
    // The port: the host hands the store's implementation (shared by every instance), tools and tests get files.
    private readonly IAs2State _state;
    private readonly As2AsyncMdnCorrelator _asyncMdns;
    private readonly ILogger _logger;

    public As2OutboundChannel(ChannelSettings settings, As2OutboundOptions options, Func<X509Certificate2Collection> partnerCertificates, Func<X509Certificate2> hubCertificate, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _options = options;
        _loadPartnerCertificates = partnerCertificates;
        _hubCertificate = hubCertificate;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = options.Timeout };
        _state = settings.Context.As2State ?? new FileAs2State(settings.Context.DataRoot);
        _logger = settings.Context.LoggerFactory.CreateLogger<As2OutboundChannel>();
        _asyncMdns = new As2AsyncMdnCorrelator(_state, settings.Context.Time, record: null, _logger);
    }

    /// <summary>Read again when a file changes (Core's TrustedCertificates cache): a rollover needs no restart.</summary>
    private X509Certificate2Collection PartnerCertificates => _loadPartnerCertificates();

    private bool AsyncMdn => string.Equals(_options.Mdn, "async", StringComparison.OrdinalIgnoreCase);
    private bool NoMdn => string.Equals(_options.Mdn, "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// With Mdn = async the first attempt POSTs and answers RetryLater("awaiting MDN"); later attempts (the outbox's
    /// retries) answer from the pending record: Delivered once a positive MDN with the right MIC came in, Rejected on
    /// a negative one, RetryLater while waiting, and after MdnTimeout the message is sent again (same Message-ID).
    /// When the outbox runs out of attempts the delivery is dead-lettered with the last detail.
    /// </summary>
    public async Task<SendResult> SendAsync(OutboundDocument document, CancellationToken cancellationToken)
    {
        var messageId = MessageIdFor(document);
        var now = _settings.Context.Time.GetUtcNow();
        if (AsyncMdn && await _asyncMdns.CheckAsync(messageId, _settings.Partner, _options.MdnTimeout, cancellationToken) is { } known)
        {
            return known;
        }

        byte[] content;
        await using (var stream = await document.OpenContent(cancellationToken))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        Built built;
        try
        {
            built = Build(document, content, now);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // A certificate problem (expired, file replaced or missing) an administrator can fix; retry picks up the fix.
            return SendResult.RetryLater($"AS2 {messageId}: cannot sign or encrypt for {_settings.Partner} ({ex.Message})");
        }
        var base64 = string.Equals(_options.ContentTransferEncoding, "base64", StringComparison.OrdinalIgnoreCase)
            && !built.Body.ContentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
        var httpBody = base64 ? Encoding.ASCII.GetBytes(Convert.ToBase64String(built.Body.Body, Base64FormattingOptions.InsertLineBreaks)) : built.Body.Body;
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(httpBody) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", built.Body.ContentType);
        if (base64)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Transfer-Encoding", "base64");
        }
        // A disposition on the pkcs7-mime body too: some parsers (libas2's) only keep such a body binary when it is an attachment.
        request.Content.Headers.TryAddWithoutValidation("Content-Disposition", built.ContentDisposition ?? SmimeDisposition(built.Body.ContentType));
        request.Headers.TryAddWithoutValidation("AS2-Version", "1.2");
        request.Headers.TryAddWithoutValidation("AS2-From", Quote(_options.As2From!));
        request.Headers.TryAddWithoutValidation("AS2-To", Quote(_options.As2To!));
        request.Headers.TryAddWithoutValidation("Message-ID", messageId);
        request.Headers.TryAddWithoutValidation("MIME-Version", "1.0");
        request.Headers.TryAddWithoutValidation("Subject", $"CrossBorderHub {document.FileName}");
        request.Headers.TryAddWithoutValidation("Date", now.ToString("r"));
        if (!NoMdn)
        {
            request.Headers.TryAddWithoutValidation("Disposition-Notification-To", _options.MdnUrl ?? "mdn@" + SafeHost(_options.As2From!));
            if (_options.MdnSigned)
            {
                request.Headers.TryAddWithoutValidation("Disposition-Notification-Options",
                    // "optional", as most stations send it: some refuse "required"; the hub itself insists (MdnSigned).
                    $"signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, {built.MicToken}");
            }
            if (AsyncMdn)
            {
                request.Headers.TryAddWithoutValidation("Receipt-Delivery-Option", _options.MdnUrl);
            }
        }

        var previous = AsyncMdn ? await _state.FindPendingAsync(messageId, cancellationToken) : null;
        var record = new As2PendingMdn(messageId, document.MessageId, _settings.Partner, _options.As2To!, built.Mic, now,
            [.. PartnerCertificates.Select(c => c.ExportCertificatePem())], Sends: (previous?.Sends ?? 0) + 1);
        if (AsyncMdn)
        {
            // Before the POST: the partner may send the MDN before its HTTP answer reaches us.
            await _state.SavePendingAsync(record, cancellationToken);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return SendResult.RetryLater($"AS2 POST to {_options.Url} failed: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.RetryLater($"AS2 POST to {_options.Url} timed out after {_options.Timeout}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300))).Trim();
                var detail = $"AS2 POST to {_options.Url} answered HTTP {(int)response.StatusCode}: {text}";
                return (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                    ? SendResult.RetryLater(detail)
                    : SendResult.Rejected(detail);
            }
            if (NoMdn)
            {
                return SendResult.Delivered($"AS2 {messageId} posted to {_options.Url} (HTTP {(int)response.StatusCode}, no MDN requested)");
            }
            if (AsyncMdn)
            {
                await _state.SavePendingAsync(record with { Posted = true }, cancellationToken);
                _logger.LogInformation("AS2 {MessageId} posted to {Partner} ({Url}); waiting for the asynchronous MDN at {MdnUrl}", messageId, _settings.Partner, _options.Url, _options.MdnUrl);
                return SendResult.RetryLater($"AS2 {messageId} posted to {_options.Url}; waiting for the asynchronous MDN");
            }
            return JudgeSyncMdn(messageId, response, body, built.Mic);
        }
    }

    private SendResult JudgeSyncMdn(string messageId, HttpResponseMessage response, byte[] body, string expectedMic)
    {
        var headers = response.Content.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)));
        As2MdnReport report;
        try
        {
            report = As2Mdn.Read(RawMimeEntity.FromHeadersAndBody(headers, body), PartnerCertificates);
        }
        catch (As2SecurityException ex)
        {
            return SendResult.RetryLater($"AS2 {messageId}: the MDN's signature is not from a pinned certificate of {_settings.Partner} ({ex.Message})");
        }
        catch (FormatException ex)
        {
            return SendResult.RetryLater($"AS2 {messageId}: the synchronous answer is no readable MDN ({ex.Message})");
        }
        if (_options.MdnSigned && !report.Signed)
        {
            return SendResult.RetryLater($"AS2 {messageId}: a signed MDN was required but the MDN is unsigned: {report.Disposition}");
        }
        var verdict = As2MdnCheck.Judge(report, expectedMic);
        _logger.LogInformation("AS2 {MessageId} to {Partner}: {Detail}", messageId, _settings.Partner, verdict.Detail);
        return verdict.Delivered ? SendResult.Delivered($"AS2 {messageId}: {verdict.Detail}")
            : verdict.Permanent ? SendResult.Rejected($"AS2 {messageId}: {verdict.Detail}")
            : SendResult.RetryLater($"AS2 {messageId}: {verdict.Detail}");
    }

    private sealed record Built(MimeBody Body, string? ContentDisposition, string Mic, string MicToken);

    private Built Build(OutboundDocument document, byte[] content, DateTimeOffset now)
    {
        var digest = As2Algorithms.Digest(_options.SignatureAlgorithm) ?? HashAlgorithmName.SHA256;
        var micToken = As2Algorithms.MicAlgName(digest);
        var contentType = _options.ContentType ?? GuessContentType(content);
        var fileName = SafeFileName.From(document.FileName);
        var entity = As2MimeBuilder.PayloadEntity(contentType, fileName, content);
        if (_options.Compress)
        {
            entity = As2MimeBuilder.Compress(entity).ToEntity("binary");
        }
        MimeBody? body = null;
        string mic;
        if (_options.Sign)
        {
            mic = As2MimeBuilder.Mic(entity, digest, micToken);
            body = As2MimeBuilder.Sign(entity, _hubCertificate(), digest, now);
            entity = body.ToEntity();
        }
        else
        {
            mic = As2MimeBuilder.Mic(_options.Encrypt || _options.Compress ? entity : content, digest, micToken);
        }
        if (_options.Encrypt)
        {
            var oid = As2Algorithms.EncryptionOid(_options.EncryptionAlgorithm)!;
            var oaep = string.Equals(_options.KeyEncryption, "rsa-oaep", StringComparison.OrdinalIgnoreCase);
            body = As2MimeBuilder.Encrypt(entity, EncryptionCertificate(now), oid, oaep);
        }
        if (body is not null)
        {
            return new Built(body, null, mic, micToken);
        }
        if (_options.Compress)
        {
            var compressed = RawMimeEntity.Parse(entity);
            return new Built(new MimeBody(compressed.Header("Content-Type")!, compressed.Body.ToArray()), null, mic, micToken);
        }
        return new Built(new MimeBody(contentType, content), $"attachment; filename=\"{fileName}\"", mic, micToken);
    }

    /// <summary>During a rollover: the newest partner certificate that is valid now.</summary>
    private X509Certificate2 EncryptionCertificate(DateTimeOffset now)
    {
        var valid = PartnerCertificates.Where(c => c.NotBefore <= now.UtcDateTime && c.NotAfter >= now.UtcDateTime).OrderByDescending(c => c.NotBefore).FirstOrDefault();
        return valid ?? throw new CryptographicException($"none of the PartnerCertificates of {_settings.Partner} is valid now: add the partner's current certificate");
    }

    internal string MessageIdFor(OutboundDocument document)
    {
        var scope = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_settings.Partner}|{_options.As2To}|{document.MessageId}")))[..16];
        return $"<xbh-{SafeHost(document.MessageId)}-{scope}@{SafeHost(_options.As2From!)}>";
    }

    private static string SmimeDisposition(string contentType) =>
        contentType.Contains("compressed-data", StringComparison.OrdinalIgnoreCase) ? "attachment; filename=\"smime.p7z\""
        : contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) ? "inline"
        : "attachment; filename=\"smime.p7m\"";

    private static string GuessContentType(byte[] content)
    {
        var start = Encoding.ASCII.GetString(content.AsSpan(0, Math.Min(content.Length, 64))).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        return start.StartsWith("UNA", StringComparison.Ordinal) || start.StartsWith("UNB", StringComparison.Ordinal) ? "application/edifact"
            : start.StartsWith('<') ? "application/xml"
            : "application/octet-stream";
    }

    private static string Quote(string value) => value.Any(c => c is ' ' or '"' or '\\') ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;

    private static string SafeHost(string id) => new(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.').DefaultIfEmpty('x').ToArray());

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}

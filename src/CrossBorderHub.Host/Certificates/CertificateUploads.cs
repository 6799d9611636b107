using System.Security.Cryptography;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Security;

namespace CrossBorderHub.Host.Certificates;

/// <summary>The outcome of an upload or removal: a refusal is one line naming the problem and the fix.</summary>
internal sealed record CertificateChange(bool Done, string Detail, int Status, StoredCertificate? Stored = null);

/// <summary>
/// Uploads and removals of certificates, shared by the REST API and the page's forms: checked, stored, pinned at once
/// (the pins snapshot is refreshed before answering) and audited.
/// </summary>
internal sealed class CertificateUploads(HubOptions options, ICertificateStore store, CertificatePinsLoader pins, ProtectedHubCertificate hub, IAuditLog audit, TimeProvider time)
{
    public const long MaxUploadBytes = 1024 * 1024;

    public async Task<CertificateChange> UploadPartnerAsync(IFormCollection form, string user, string? address, CancellationToken ct)
    {
        var partner = form["partner"].ToString().Trim();
        var known = options.Partners.Keys.FirstOrDefault(k => string.Equals(k, partner, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            return Refused($"partner '{partner}' is not configured: choose one of {string.Join(", ", options.Partners.Keys.Order(StringComparer.Ordinal))}");
        }
        if (CertificateUseNames.Parse(form["uses"].Select(v => v ?? "")) is not { } uses)
        {
            return Refused($"uses '{form["uses"]}' is not valid: give one or more of {CertificateUseNames.Allowed}");
        }
        if (await ReadFileAsync(form, ct) is not { } bytes)
        {
            return Refused($"no certificate file was sent, or it is larger than {MaxUploadBytes / 1024} KiB: attach the partner's PEM, DER or PFX file as 'file'");
        }
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = PublicCertificate.Read(bytes, form["password"].ToString() is { Length: > 0 } p ? p : null);
        }
        catch (CryptographicException ex)
        {
            return Refused(ex.Message);
        }
        var stored = PublicCertificate.ToStored(certificate, known, uses, time.GetUtcNow(), user);
        if (!await store.AddAsync(stored, ct))
        {
            return new CertificateChange(false, $"partner {known} already has the certificate {stored.Fingerprint} ({stored.Subject}): remove it first to change its uses", StatusCodes.Status409Conflict);
        }
        await pins.RefreshAsync(ct);
        var detail = $"certificate {stored.Fingerprint} '{stored.Subject}' pinned to {known} for {CertificateUseNames.Format(uses)}, valid {stored.NotBefore:yyyy-MM-dd} to {stored.NotAfter:yyyy-MM-dd}";
        await audit.AddAsync(time.GetUtcNow(), user, address, "certificate-upload", detail, ct);
        return new CertificateChange(true, detail, StatusCodes.Status201Created, stored);
    }

    public async Task<CertificateChange> RemoveAsync(long id, string user, string? address, CancellationToken ct)
    {
        if (await store.RemoveAsync(id, ct) is not { } removed)
        {
            return new CertificateChange(false, $"no stored certificate has the id {id}: see GET /api/certificates for the ids", StatusCodes.Status404NotFound);
        }
        await pins.RefreshAsync(ct);
        var detail = $"certificate {removed.Fingerprint} '{removed.Subject}' of {removed.Partner} ({CertificateUseNames.Format(removed.Uses)}) removed";
        await audit.AddAsync(time.GetUtcNow(), user, address, "certificate-remove", detail, ct);
        return new CertificateChange(true, detail, StatusCodes.Status200OK, removed);
    }

    public async Task<CertificateChange> ReplaceHubAsync(IFormCollection form, string user, string? address, CancellationToken ct)
    {
        if (await ReadFileAsync(form, ct) is not { } bytes)
        {
            return Refused($"no PFX file was sent, or it is larger than {MaxUploadBytes / 1024} KiB: attach the hub's PFX (certificate and key) as 'file'");
        }
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = hub.Replace(bytes, form["password"].ToString(), time.GetUtcNow());
        }
        catch (CryptographicException ex)
        {
            return Refused(ex.Message);
        }
        // The password is never part of the audit detail nor of any log.
        var detail = $"hub signing certificate replaced by {CertificateFiles.Sha256Thumbprint(certificate)} '{certificate.Subject}', valid to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
        await audit.AddAsync(time.GetUtcNow(), user, address, "hub-certificate-replace", detail, ct);
        return new CertificateChange(true, detail, StatusCodes.Status200OK);
    }

    public async Task<CertificateChange> RevertHubAsync(string user, string? address, CancellationToken ct)
    {
        if (!hub.Remove())
        {
            return new CertificateChange(false, "no hub certificate was uploaded: the configured one (Hub:Identity) is in force", StatusCodes.Status404NotFound);
        }
        var detail = "uploaded hub signing certificate removed: the configured one (Hub:Identity or the development certificate) is in force again";
        await audit.AddAsync(time.GetUtcNow(), user, address, "hub-certificate-revert", detail, ct);
        return new CertificateChange(true, detail, StatusCodes.Status200OK);
    }

    private static CertificateChange Refused(string detail) => new(false, detail, StatusCodes.Status400BadRequest);

    private static async Task<byte[]?> ReadFileAsync(IFormCollection form, CancellationToken ct)
    {
        if (form.Files.GetFile("file") is not { Length: > 0 and <= MaxUploadBytes } file)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}

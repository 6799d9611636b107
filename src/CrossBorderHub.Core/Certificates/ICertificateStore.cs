namespace CrossBorderHub.Core.Certificates;

/// <summary>What a pinned certificate may authenticate; one certificate may serve several.</summary>
[Flags]
public enum CertificateUses
{
    None = 0,
    Signature = 1,
    As2 = 2,
    Ftps = 4,
}

/// <summary>
/// A partner's certificate uploaded through the admin web: the public certificate only (PEM text), never a key.
/// Several per partner: during a rollover the old and the new are both accepted while each is inside its window.
/// </summary>
public sealed record StoredCertificate(
    long Id,
    string Partner,
    CertificateUses Uses,
    string Fingerprint,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Pem,
    DateTimeOffset UploadedAt,
    string UploadedBy)
{
    public bool IsValidAt(DateTimeOffset now) => now >= NotBefore && now <= NotAfter;
}

/// <summary>The certificate table (hub_certificates) of the message store.</summary>
public interface ICertificateStore
{
    /// <summary>False when the partner already has this certificate (same fingerprint): nothing is written.</summary>
    Task<bool> AddAsync(StoredCertificate certificate, CancellationToken cancellationToken);

    /// <summary>Every stored certificate, soonest expiry first.</summary>
    Task<IReadOnlyList<StoredCertificate>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The removed certificate, or null when no certificate has that id.</summary>
    Task<StoredCertificate?> RemoveAsync(long id, CancellationToken cancellationToken);
}

/// <summary>Names of <see cref="CertificateUses"/> as stored and typed: "signature,as2".</summary>
public static class CertificateUseNames
{
    public const string Allowed = "signature, as2, ftps";

    public static string Format(CertificateUses uses) =>
        string.Join(",", Enum.GetValues<CertificateUses>().Where(u => u != CertificateUses.None && uses.HasFlag(u)).Select(u => u.ToString().ToLowerInvariant()));

    /// <summary>Null when a name is unknown or none is given.</summary>
    public static CertificateUses? Parse(IEnumerable<string> names)
    {
        var uses = CertificateUses.None;
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<CertificateUses>(name, true, out var one) || one == CertificateUses.None || !Enum.IsDefined(one))
            {
                return null;
            }
            uses |= one;
        }
        return uses == CertificateUses.None ? null : uses;
    }
}

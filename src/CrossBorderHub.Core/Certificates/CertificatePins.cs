using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Core.Certificates;

/// <summary>
/// The store's certificates as the pipeline sees them: a snapshot kept in memory (the host refreshes it from the store
/// every few seconds and at once after an upload), because signature checks and TLS callbacks are synchronous and run
/// per message. Pinning accepts these in addition to the files configured in hub.json.
/// </summary>
public sealed class CertificatePins
{
    private volatile Snapshot _snapshot = new([]);

    public IReadOnlyList<StoredCertificate> All => _snapshot.Stored;

    public void Replace(IReadOnlyList<StoredCertificate> stored) => _snapshot = new Snapshot(stored);

    /// <summary>
    /// Every certificate pinned to the partner for that use, expired ones included: the verifier then refuses a
    /// signature by an expired certificate with "expired" instead of "not pinned".
    /// </summary>
    public IReadOnlyList<X509Certificate2> For(string partner, CertificateUses use) =>
        _snapshot.Loaded.Where(p => p.Stored.Uses.HasFlag(use) && string.Equals(p.Stored.Partner, partner, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Certificate).ToList();

    /// <summary>Only those inside their validity window at <paramref name="now"/>: for verifiers that do not check validity themselves (AS2).</summary>
    public IReadOnlyList<X509Certificate2> ValidFor(string partner, CertificateUses use, DateTimeOffset now) =>
        _snapshot.Loaded.Where(p => p.Stored.Uses.HasFlag(use) && p.Stored.IsValidAt(now) && string.Equals(p.Stored.Partner, partner, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Certificate).ToList();

    /// <summary>Fingerprints (upper-case hex SHA-256) pinned for the partner's use and valid at <paramref name="now"/>: TLS pinning.</summary>
    public IReadOnlyList<string> ValidFingerprints(string partner, CertificateUses use, DateTimeOffset now) =>
        _snapshot.Stored.Where(s => s.Uses.HasFlag(use) && s.IsValidAt(now) && string.Equals(s.Partner, partner, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Fingerprint.ToUpperInvariant()).ToList();

    private sealed class Snapshot(IReadOnlyList<StoredCertificate> stored)
    {
        public IReadOnlyList<StoredCertificate> Stored { get; } = stored;

        public IReadOnlyList<(StoredCertificate Stored, X509Certificate2 Certificate)> Loaded { get; } =
            [.. stored.Select(s => (s, X509Certificate2.CreateFromPem(s.Pem)))];
    }
}

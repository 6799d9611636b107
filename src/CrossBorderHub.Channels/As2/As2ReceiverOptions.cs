using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels.As2;

/// <summary>What the receiving side knows about one partner that sends by AS2 (its Inbound section, Type "as2").</summary>
public sealed class As2PartnerProfile
{
    /// <summary>The hub's short name for the partner ("CN").</summary>
    public required string Partner { get; init; }

    /// <summary>The partner's AS2 identifier: the AS2-From value of what it sends.</summary>
    public required string As2Id { get; init; }

    /// <summary>Pinned certificates the partner signs with (several during a rollover). Never the one in the message.</summary>
    public X509Certificate2Collection TrustedCertificates { get; init; } = [];

    /// <summary>
    /// Pinned certificate files, read through Core's <c>TrustedCertificates</c> (the XML-DSig pinning too): a file
    /// that changes is read again, so a rollover needs no restart.
    /// </summary>
    public IReadOnlyList<string> TrustedCertificateFiles { get; init; } = [];

    /// <summary>Every pinned certificate now: the fixed ones plus the current content of the files.</summary>
    public X509Certificate2Collection Pinned()
    {
        var stored = StoredCertificates?.Invoke() ?? [];
        if (TrustedCertificateFiles.Count == 0 && stored.Count == 0)
        {
            return TrustedCertificates;
        }
        var all = new X509Certificate2Collection(TrustedCertificates);
        all.AddRange(Core.Certificates.TrustedCertificates.Load(TrustedCertificateFiles).ToArray());
        all.AddRange(stored.ToArray());
        return all;
    }

    /// <summary>Certificates pinned to this partner for AS2 in the message store (the admin web), read at every message.</summary>
    public Func<IReadOnlyList<X509Certificate2>>? StoredCertificates { get; init; }

    /// <summary>Reject (insufficient-message-security) an unsigned message. Default true.</summary>
    public bool RequireSignature { get; init; } = true;

    /// <summary>Reject (insufficient-message-security) an unencrypted message.</summary>
    public bool RequireEncryption { get; init; }
}

/// <summary>Settings of the AS2 receive endpoint.</summary>
public sealed class As2ReceiverOptions
{
    /// <summary>The hub's AS2 identifiers: an AS2-To outside this list is refused with HTTP 403.</summary>
    public required IReadOnlyList<string> HubIds { get; init; }

    /// <summary>Decrypts what partners send and signs MDNs: the Hub:Identity certificate.</summary>
    public required X509Certificate2 HubCertificate { get; init; }

    /// <summary>Hub:DataRoot: seen Message-IDs go to as2/seen, pending outbound MDNs to as2/pending, spool to as2/spool.</summary>
    public required string DataRoot { get; init; }

    public required IReadOnlyList<As2PartnerProfile> Partners { get; init; }

    /// <summary>A larger body is refused with HTTP 413 without being read to the end. Default 512 MiB.</summary>
    public long MaxBodyBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// From this size on, an encrypted + signed message is decrypted file to file and verified by scanning (memory
    /// stays flat); smaller ones are processed in memory. Default 8 MiB.
    /// </summary>
    public long StreamingThresholdBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>How long a received Message-ID is remembered for answering resends. Default 90 days.</summary>
    public TimeSpan SeenRetention { get; init; } = TimeSpan.FromDays(90);

    public string SpoolFolder => Path.Combine(DataRoot, "as2", "spool");
}

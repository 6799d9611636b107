using System.Security.Cryptography;

namespace CrossBorderHub.Channels.As2;

/// <summary>Names AS2 peers use for digests (micalg) and content encryption, mapped to .NET and OIDs.</summary>
internal static class As2Algorithms
{
    /// <summary>Digest by its micalg name: "sha-256", "sha256", "sha1", "sha-1", ...; null when unsupported.</summary>
    public static HashAlgorithmName? Digest(string? name) => Normalize(name) switch
    {
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static string DigestOid(HashAlgorithmName name) => name.Name switch
    {
        "SHA1" => "1.3.14.3.2.26",
        "SHA256" => "2.16.840.1.101.3.4.2.1",
        "SHA384" => "2.16.840.1.101.3.4.2.2",
        "SHA512" => "2.16.840.1.101.3.4.2.3",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name.Name, "unsupported digest"),
    };

    /// <summary>The micalg token for a digest as RFC 5751 writes it ("sha-256").</summary>
    public static string MicAlgName(HashAlgorithmName name) => name.Name switch
    {
        "SHA1" => "sha-1",
        "SHA256" => "sha-256",
        "SHA384" => "sha-384",
        "SHA512" => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name.Name, "unsupported digest"),
    };

    public static HashAlgorithmName? DigestFromOid(string? oid) => oid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static byte[] Hash(HashAlgorithmName name, ReadOnlySpan<byte> data) => name.Name switch
    {
#pragma warning disable CA5350 // SHA-1 MICs are still requested by older AS2 partners; we only compute what they ask for.
        "SHA1" => SHA1.HashData(data),
#pragma warning restore CA5350
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        "SHA512" => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name.Name, "unsupported digest"),
    };

    /// <summary>Content-encryption OID by setting name: aes128-cbc, aes192-cbc, aes256-cbc, 3des; GCM variants too.</summary>
    public static string? EncryptionOid(string? name) => Normalize(name) switch
    {
        "aes128cbc" or "aes128" => "2.16.840.1.101.3.4.1.2",
        "aes192cbc" or "aes192" => "2.16.840.1.101.3.4.1.22",
        "aes256cbc" or "aes256" => "2.16.840.1.101.3.4.1.42",
        "3des" or "desede3cbc" or "tripledes" => "1.2.840.113549.3.7",
        "aes128gcm" => "2.16.840.1.101.3.4.1.6",
        "aes192gcm" => "2.16.840.1.101.3.4.1.26",
        "aes256gcm" => "2.16.840.1.101.3.4.1.46",
        _ => null,
    };

    public static bool IsGcm(string oid) => oid is "2.16.840.1.101.3.4.1.6" or "2.16.840.1.101.3.4.1.26" or "2.16.840.1.101.3.4.1.46";

    private static string Normalize(string? name) =>
        (name ?? "").Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}

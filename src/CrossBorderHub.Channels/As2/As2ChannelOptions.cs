namespace CrossBorderHub.Channels.As2;

/// <summary>A partner's Outbound section with Type "as2": how the hub sends to it.</summary>
public sealed class As2OutboundOptions
{
    /// <summary>The partner's AS2 endpoint (http or https).</summary>
    public string? Url { get; set; }

    /// <summary>The hub's AS2 identifier as this partner knows it (AS2-From).</summary>
    public string? As2From { get; set; }

    /// <summary>The partner's AS2 identifier (AS2-To).</summary>
    public string? As2To { get; set; }

    public bool Sign { get; set; } = true;
    public bool Encrypt { get; set; } = true;

    /// <summary>RFC 5402 compression before signing.</summary>
    public bool Compress { get; set; }

    /// <summary>aes128-cbc, aes192-cbc, aes256-cbc (default) or 3des.</summary>
    public string EncryptionAlgorithm { get; set; } = "aes256-cbc";

    /// <summary>rsa (PKCS#1 v1.5, what most AS2 software expects) or rsa-oaep (OAEP with SHA-256).</summary>
    public string KeyEncryption { get; set; } = "rsa";

    /// <summary>sha256 (default), sha384, sha512 or sha1: signature digest and the MIC asked for.</summary>
    public string SignatureAlgorithm { get; set; } = "sha256";

    /// <summary>none, sync (default) or async.</summary>
    public string Mdn { get; set; } = "sync";

    /// <summary>Ask for a signed MDN and refuse an unsigned one.</summary>
    public bool MdnSigned { get; set; } = true;

    /// <summary>For Mdn = async: the hub's own AS2 URL (Receipt-Delivery-Option), e.g. https://hub.example/as2.</summary>
    public string? MdnUrl { get; set; }

    /// <summary>For Mdn = async: how long to wait for the MDN before sending again with the same Message-ID.</summary>
    public TimeSpan MdnTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The partner's certificate files (PEM/DER); several during a rollover.</summary>
    public List<string> PartnerCertificates { get; set; } = [];

    /// <summary>Optional: sign with this certificate instead of Hub:Identity (PFX or PEM with key).</summary>
    public string? HubCertificate { get; set; }
    public string? HubPrivateKey { get; set; }
    public string? HubCertificatePassword { get; set; }

    /// <summary>Content-Type of the payload; empty: application/edifact for EDIFACT, application/xml for XML, else octet-stream.</summary>
    public string? ContentType { get; set; }

    /// <summary>
    /// binary (default, what RFC 4130 peers expect) or base64: the transfer encoding of an encrypted or compressed
    /// body on HTTP. Some stacks (libas2) read the body as text and need base64. A multipart/signed body stays as is.
    /// </summary>
    public string ContentTransferEncoding { get; set; } = "binary";

    /// <summary>HTTP timeout of one POST (including a synchronous MDN).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>A partner's Inbound section with Type "as2": what the hub accepts from it on POST /as2.</summary>
public sealed class As2InboundOptions
{
    /// <summary>The partner's AS2 identifier (the AS2-From of what it sends).</summary>
    public string? As2Id { get; set; }

    /// <summary>Certificate files the partner signs with; several during a rollover.</summary>
    public List<string> TrustedCertificates { get; set; } = [];

    public bool RequireSignature { get; set; } = true;
    public bool RequireEncryption { get; set; }
}

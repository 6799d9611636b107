using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrossBorderHub.Xml.Schemas;

/// <summary>
/// schemas/xsd/&lt;pack&gt;/pack.json: which documents the pack recognises (namespace + root element), the XSDs to
/// compile for each, where the routing identity is, and which business rules apply. Admins edit these files.
/// </summary>
public sealed class SchemaPackManifest
{
    /// <summary>Short name; defaults to the folder name.</summary>
    public string? Name { get; set; }

    /// <summary>The standard, e.g. "WCO Data Model (HMRC CDS DMS)".</summary>
    public string Standard { get; set; } = "";

    public string Version { get; set; } = "";

    /// <summary>Higher wins when two packs claim the same namespace + root (an official pack over a profile).</summary>
    public int Priority { get; set; }

    public List<PackDocument> Documents { get; set; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static SchemaPackManifest Parse(string json) =>
        JsonSerializer.Deserialize<SchemaPackManifest>(json, JsonOptions) ?? throw new JsonException("the manifest is empty");
}

public sealed class PackDocument
{
    /// <summary>The hub's document type, what routes match on (e.g. "CertificateOfOrigin").</summary>
    public string DocumentType { get; set; } = "";

    /// <summary>Namespace URI of the root element.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>Local name of the root element.</summary>
    public string Root { get; set; } = "";

    /// <summary>Entry XSD files, relative to the pack folder; their imports are followed inside the pack folder only.</summary>
    public List<string> Schemas { get; set; } = [];

    /// <summary>Prefix -> namespace, for the XPaths below.</summary>
    public Dictionary<string, string> Namespaces { get; set; } = [];

    public PackIdentity Identity { get; set; } = new();

    public List<PackRule> Rules { get; set; } = [];
}

/// <summary>XPaths (with the manifest's prefixes) to the values that route the document; all optional.</summary>
public sealed class PackIdentity
{
    public string? Sender { get; set; }
    public string? Recipient { get; set; }
    public string? ControlReference { get; set; }
    public string? OriginCountry { get; set; }
    public string? DestinationCountry { get; set; }

    /// <summary>The document is a test when this XPath yields "true", "1" or "test" (case-insensitive).</summary>
    public string? IsTest { get; set; }

    /// <summary>The business document's own number; defaults to <see cref="ControlReference"/> (where most packs keep it).</summary>
    public string? Number { get; set; }

    /// <summary>Issue date (xs:date or an xs:dateTime whose first 10 characters are the date).</summary>
    public string? IssueDate { get; set; }

    /// <summary>The message function as written; <see cref="FunctionCodes"/> says what each value means.</summary>
    public string? Function { get; set; }

    /// <summary>Value at <see cref="Function"/> -> Original, Replacement or Cancellation (others are Other). Absent: Original.</summary>
    public Dictionary<string, string> FunctionCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The number of the earlier document a replacement or cancellation refers to.</summary>
    public string? ReferencedDocument { get; set; }
}

/// <summary>A business rule, graded WARNING by default (or INFO): the document is delivered with it.</summary>
public sealed class PackRule
{
    /// <summary>country (ISO 3166 alpha-2), hsCode, notExpired (a date not before today), pattern, present.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The nodes the rule applies to (each one is checked).</summary>
    public string XPath { get; set; } = "";

    /// <summary>For <c>pattern</c>: the regular expression the whole value must match.</summary>
    public string? Pattern { get; set; }

    /// <summary>warning (default) or info.</summary>
    public string Severity { get; set; } = "warning";

    /// <summary>Overrides the finding code (default RULE-&lt;KIND&gt;).</summary>
    public string? Code { get; set; }

    /// <summary>Overrides the message; {value} is replaced by the value found.</summary>
    public string? Message { get; set; }

    [JsonIgnore]
    public bool IsInfo => string.Equals(Severity, "info", StringComparison.OrdinalIgnoreCase);
}

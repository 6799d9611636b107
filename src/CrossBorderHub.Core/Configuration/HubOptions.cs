using CrossBorderHub.Xml;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Core.Configuration;

/// <summary>The <c>Hub</c> configuration section. Bound once at start-up and validated by <see cref="HubOptionsValidator"/>.</summary>
public sealed class HubOptions
{
    public const string SectionName = "Hub";

    /// <summary>Folder for the database, blobs and the sample folder channels. Relative to the working directory.</summary>
    public string DataRoot { get; set; } = "./data";

    /// <summary>
    /// Names this instance in leases. Instances sharing one database need distinct names; a restarted instance with
    /// the same name takes back at once what its previous run had claimed. Default: the machine name.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    public StoreOptions Store { get; set; } = new();

    /// <summary>Where payloads are kept: Hub:Blobs:Provider (BlobOptions.cs).</summary>
    public BlobOptions Blobs { get; set; } = new();

    /// <summary>Partners by their short name (e.g. "CN", "TH").</summary>
    public Dictionary<string, PartnerOptions> Partners { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public List<RouteOptions> Routes { get; set; } = [];

    public DeliveryOptions Delivery { get; set; } = new();

    public ProcessingOptions Processing { get; set; } = new();

    /// <summary>The hub's own identity and signing certificate.</summary>
    public HubIdentityOptions Identity { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    public SchedulerOptions Scheduler { get; set; } = new();

    /// <summary>Business documents: Hub:Documents:DuplicateWindow.</summary>
    public DocumentOptions Documents { get; set; } = new();

    /// <summary>Hub:Alerts: rules and their e-mail and webhook delivery (docs/admin.md).</summary>
    public AlertOptions Alerts { get; set; } = new();
}

public sealed class DocumentOptions
{
    /// <summary>
    /// The same document (type + number + issuing country + function) arriving again within this window is a business
    /// duplicate and is not delivered again; after it, the same key is a new issue. Validated at start-up (positive).
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Hub:Documents:Retention: how long documents (their messages, events, deliveries and payloads) are kept, per
    /// document type: a whole type ("CUSDEC/929"), a message type ("CUSDEC", every CUSDEC), or "*" (any other type).
    /// A type with no entry (and no "*") is kept forever. Validated at start-up: at least one day, and not shorter
    /// than DuplicateWindow (a purged document could not be recognised as a duplicate any more).
    /// </summary>
    public Dictionary<string, TimeSpan> Retention { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often the retention purge runs (and once a minute after start-up); at most RetentionBatch messages a run.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    public int RetentionBatch { get; set; } = 10_000;
}

public sealed class SchedulerOptions
{
    /// <summary>
    /// Keep Quartz's triggers in the PostgreSQL store (Hub:Store:Provider = Postgres) and cluster the instances that
    /// share it: each poll of a channel runs on one instance at a time, so several hubs can poll the same folder.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered instance checks in; another takes over its triggers after a few missed check-ins.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(7);
}

public sealed class StoreOptions
{
    /// <summary>Sqlite (default), Postgres or SqlServer.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Empty for SQLite means <c>DataRoot/hub.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class PartnerOptions
{
    public string? Name { get; set; }

    /// <summary>ISO 3166 alpha-2 country code of the partner (a national single window's country).</summary>
    public string? Country { get; set; }

    /// <summary>EDIFACT UNB identifications (0004/0010) and XML sender ids that mean this partner.</summary>
    public List<string> Identifiers { get; set; } = [];

    /// <summary>EDIFACT validation level for what this partner sends: syntax, envelope, directory or codes.</summary>
    public string Validation { get; set; } = "codes";

    /// <summary>Send a CONTRL for every interchange this partner sends, not only when UNB 0031 asks for one.</summary>
    public bool AlwaysAcknowledge { get; set; }

    /// <summary>
    /// Answer an accepted interchange with a receipt (CONTRL action 8, "interchange received") instead of a syntax
    /// report, as UNB 0031 = 2 asks under syntax 4. A rejected interchange still gets the full report.
    /// </summary>
    public bool ReceiptOnly { get; set; }

    /// <summary>
    /// Deliver the valid messages of an interchange in which only some messages have errors; the CONTRL acknowledges
    /// the interchange and rejects exactly the bad messages (UCM action 4). Errors in the envelope still reject all.
    /// </summary>
    public bool PartialAcceptance { get; set; }

    /// <summary>Which APERAKs this partner gets: None, Negative (default) or All.</summary>
    public AperakPolicy Aperak { get; set; } = AperakPolicy.Negative;

    public SignaturePolicyOptions Signature { get; set; } = new();

    /// <summary>EDIFACT deviations tolerated (as warnings) in what this partner sends: a profile and per-switch overrides.</summary>
    public EdifactToleranceOptions Tolerance { get; set; } = new();

    /// <summary>Where the hub picks up what this partner sends; absent when the partner only receives.</summary>
    public IConfigurationSection? Inbound { get; set; }

    /// <summary>How the hub delivers to this partner; absent when the partner only sends.</summary>
    public IConfigurationSection? Outbound { get; set; }

    /// <summary>An Outbound section is configured (the binder hands an empty section, not null, for an absent one).</summary>
    public bool HasOutbound => Outbound?.Exists() == true;
}

/// <summary>Which APERAKs a partner gets for the EDIFACT messages it sends.</summary>
public enum AperakPolicy
{
    /// <summary>None.</summary>
    None,

    /// <summary>When a message cannot be routed, is rejected by a destination, or is dead-lettered (the default).</summary>
    Negative,

    /// <summary>Also a positive one (BGM 4343 = AP) when a message is delivered to a destination.</summary>
    All,
}

public sealed class SignaturePolicyOptions
{
    /// <summary>Reject an XML document from this partner that carries no valid signature.</summary>
    public bool Required { get; set; }

    /// <summary>PEM or DER certificate files this partner signs with (several during a rollover).</summary>
    public List<string> TrustedCertificates { get; set; } = [];
}

public sealed class RouteOptions
{
    public string? Name { get; set; }

    // Match criteria: every one that is set must match. "*" or empty means any.
    public string? Sender { get; set; }
    public string? Recipient { get; set; }
    public string? DocumentType { get; set; }
    /// <summary>Destination country (ISO 3166 alpha-2) read from the document.</summary>
    public string? Country { get; set; }
    public string? SourcePartner { get; set; }
    /// <summary>true: only test interchanges; false: only production ones; null: both.</summary>
    public bool? Test { get; set; }

    /// <summary>Partners to deliver to.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>Mapping configuration (a folder under Hub:Processing:MappingsPath) run before signing: map -> sign -> deliver.</summary>
    public string? Mapping { get; set; }

    /// <summary>none (default), document (enveloped XML-DSig on the XML itself) or envelope (wrap in a signed SBDH).</summary>
    public string Sign { get; set; } = "none";

    /// <summary>Deliver each EDIFACT message of an interchange as an interchange of its own.</summary>
    public bool SplitMessages { get; set; }
}

public sealed class DeliveryOptions
{
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How often the outbox looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class ProcessingOptions
{
    /// <summary>The same sender + interchange reference (or same bytes from one channel) within this window is a duplicate.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Default schedule of inbound channels that set none.</summary>
    public TimeSpan InboundInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a claimed message or delivery stays leased to one instance.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Folder of mapping configurations, relative to the working directory.</summary>
    public string MappingsPath { get; set; } = "mappings";
    /// <summary>Folder of schemas (edifact/ and xsd/), relative to the working directory.</summary>
    public string SchemasPath { get; set; } = "schemas";
    /// <summary>Limits for every XML document read (size, entity expansion, depth): Hub:Processing:Xml:MaxDocumentBytes...</summary>
    public XmlLimits Xml { get; set; } = new();

    /// <summary>
    /// A temporary file in blobs/incoming untouched this long is left by a killed intake and is removed. Long enough
    /// that a stalled intake of another instance sharing the data root is never cut off (it also holds a lock).
    /// </summary>
    public TimeSpan OrphanBlobAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often orphan temporary blobs are looked for (also once at start-up).</summary>
    public TimeSpan OrphanBlobSweepInterval { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class HubIdentityOptions
{
    /// <summary>UNB identification the hub uses in the acknowledgements it writes.</summary>
    public string EdifactId { get; set; } = "XBHUB";

    /// <summary>PFX or PEM certificate with private key; empty means a generated development certificate in DataRoot.</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM private key file when <see cref="Certificate"/> is a PEM certificate without the key.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>PFX password; prefer the environment variable Hub__Identity__CertificatePassword. Never logged.</summary>
    public string? CertificatePassword { get; set; }
}

public sealed class AdminOptions
{
    /// <summary>Address of the admin web and REST API; loopback by default.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";
    public bool Enabled { get; set; } = true;

    /// <summary>Failed logins in a row that lock an account for <see cref="Lockout"/>.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Login attempts (POST /login) per remote address and minute; more answer 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Host names browsers use for a non-loopback admin URL (hub.example.org); any other Host header is refused.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>PFX or PEM certificate of an https admin URL; required for a non-loopback URL.</summary>
    public string? TlsCertificate { get; set; }

    public string? TlsPrivateKey { get; set; }

    /// <summary>PFX password; prefer the environment variable Hub__Admin__TlsCertificatePassword. Never logged.</summary>
    public string? TlsCertificatePassword { get; set; }
}

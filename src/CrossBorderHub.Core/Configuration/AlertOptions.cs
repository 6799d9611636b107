namespace CrossBorderHub.Core.Configuration;

/// <summary>
/// Hub:Alerts: which conditions raise an alert and where alerts go. A rule left out is off, but DeadLetters, which is
/// on; with no Email and no Webhook alerts are only shown on the admin pages (/ and /alerts).
/// </summary>
public sealed class AlertOptions
{
    /// <summary>How often the alert job evaluates the rules.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An alert per dead-lettered message, cleared when it is replayed (or otherwise leaves DeadLettered).</summary>
    public bool DeadLetters { get; set; } = true;

    /// <summary>More than Count rejected messages received within Window.</summary>
    public RejectionRuleOptions? Rejections { get; set; }

    /// <summary>A partner's inbound channel whose polls have failed without a success for longer than this.</summary>
    public TimeSpan? ChannelFailingFor { get; set; }

    /// <summary>A certificate (the hub's own, partners' trusted ones, the admin and AS2 TLS ones) that expires within this many days.</summary>
    public int? CertificateExpiresWithinDays { get; set; }

    public AlertEmailOptions? Email { get; set; }

    public AlertWebhookOptions? Webhook { get; set; }
}

public sealed class RejectionRuleOptions
{
    public int Count { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>SMTP delivery (MailKit). StartTls upgrades a plain connection; User and Password log in when set.</summary>
public sealed class AlertEmailOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public bool StartTls { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "crossborderhub@localhost";

    public List<string> To { get; set; } = [];
}

/// <summary>An HTTP POST of a JSON body per alert raised or cleared.</summary>
public sealed class AlertWebhookOptions
{
    public string? Url { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

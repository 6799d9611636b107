using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Core.Alerts;

/// <summary>Start-up check of Hub:Alerts beyond its keys and types (ConfigurationKeyCheck): values that make sense.</summary>
public sealed class AlertOptionsCheck : IStartupCheck
{
    public void Check(HubOptions options, ICollection<string> errors)
    {
        var alerts = options.Alerts;
        if (alerts.Interval <= TimeSpan.Zero)
        {
            errors.Add($"Hub:Alerts:Interval is {alerts.Interval}: set how often the rules are evaluated, e.g. \"00:00:30\".");
        }
        if (alerts.Rejections is { } rejections)
        {
            if (rejections.Count < 1)
            {
                errors.Add($"Hub:Alerts:Rejections:Count is {rejections.Count}: set the number of rejections that raises the alert, 1 or more.");
            }
            if (rejections.Window <= TimeSpan.Zero)
            {
                errors.Add($"Hub:Alerts:Rejections:Window is {rejections.Window}: set the period counted, e.g. \"00:10:00\".");
            }
        }
        if (alerts.ChannelFailingFor is { } failing && failing <= TimeSpan.Zero)
        {
            errors.Add($"Hub:Alerts:ChannelFailingFor is {failing}: set how long a channel may fail before it alerts, e.g. \"00:15:00\".");
        }
        if (alerts.CertificateExpiresWithinDays is < 1)
        {
            errors.Add($"Hub:Alerts:CertificateExpiresWithinDays is {alerts.CertificateExpiresWithinDays}: set a number of days, 1 or more, e.g. 30.");
        }
        if (alerts.Email is { } email)
        {
            if (string.IsNullOrWhiteSpace(email.Host))
            {
                errors.Add("Hub:Alerts:Email:Host is missing: set the SMTP server's host name, or remove Hub:Alerts:Email.");
            }
            if (email.Port is < 1 or > 65535)
            {
                errors.Add($"Hub:Alerts:Email:Port is {email.Port}: set the SMTP port, 1 to 65535 (25, 587 with StartTls).");
            }
            if (email.To.Count == 0 || email.To.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add("Hub:Alerts:Email:To has no address: list who receives the alerts, e.g. [ \"ops@example.org\" ].");
            }
            if (string.IsNullOrEmpty(email.User) != string.IsNullOrEmpty(email.Password))
            {
                errors.Add("Hub:Alerts:Email: User and Password go together: set both to log in to the SMTP server, or neither.");
            }
        }
        if (alerts.Webhook is { } webhook
            && (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"Hub:Alerts:Webhook:Url is '{webhook.Url}': set the absolute http(s) URL the alerts are POSTed to.");
        }
    }
}

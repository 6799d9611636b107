using System.Net.Http.Json;
using System.Text.Json;
using CrossBorderHub.Core.Alerts;
using CrossBorderHub.Core.Configuration;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CrossBorderHub.Host.Alerts;

/// <summary>
/// Sends one alert change (raised or cleared) by e-mail (MailKit over SMTP) and by webhook (a JSON POST). A channel
/// that fails is logged and does not stop the other one: the alert stays recorded and shown on the admin pages.
/// </summary>
internal sealed class AlertNotifier(HubOptions options, ILogger<AlertNotifier> logger) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = options.Alerts.Webhook?.Timeout ?? TimeSpan.FromSeconds(10) };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The webhook body: what a receiving system needs to open or close a ticket.</summary>
    public static object Body(AlertRecord alert, bool cleared, string instance) => new
    {
        @event = cleared ? "cleared" : "raised",
        key = alert.Key,
        rule = alert.Rule,
        summary = alert.Summary,
        detail = alert.Detail,
        raisedAt = alert.RaisedAt,
        clearedAt = alert.ClearedAt,
        instance,
    };

    public async Task NotifyAsync(AlertRecord alert, bool cleared, CancellationToken cancellationToken)
    {
        var alerts = options.Alerts;
        if (alerts.Email is { } email)
        {
            try
            {
                await MailAsync(email, alert, cleared, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException or AuthenticationException
                                           or System.Security.Authentication.AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Alert e-mail for {Key} to {Host}:{Port} failed: {Error}", alert.Key, email.Host, email.Port, ex.Message);
            }
        }
        if (alerts.Webhook is { Url: { } url })
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(url), Body(alert, cleared, options.InstanceName), Json, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Alert webhook for {Key} to {Url} answered {Status}", alert.Key, url, (int)response.StatusCode);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Alert webhook for {Key} to {Url} failed: {Error}", alert.Key, url, ex.Message);
            }
        }
        logger.LogWarning("Alert {Change}: {Summary} ({Key})", cleared ? "cleared" : "raised", alert.Summary, alert.Key);
    }

    private async Task MailAsync(AlertEmailOptions email, AlertRecord alert, bool cleared, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.From));
        foreach (var to in email.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }
        message.Subject = (cleared ? "[CrossBorderHub] Cleared: " : "[CrossBorderHub] Alert: ") + alert.Summary;
        message.Body = new TextPart("plain")
        {
            Text = (cleared ? $"Cleared at {alert.ClearedAt:u} (raised at {alert.RaisedAt:u}).\n\n" : $"Raised at {alert.RaisedAt:u}.\n\n")
                   + $"{alert.Summary}\n\n{alert.Detail}\n\nRule: {alert.Rule}\nKey: {alert.Key}\nInstance: {options.InstanceName}\n",
        };
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(email.Host!, email.Port, email.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(email.User))
        {
            await smtp.AuthenticateAsync(email.User, email.Password ?? "", cancellationToken);
        }
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}

using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.As2;

/// <summary>Posts an asynchronous MDN to the partner's Receipt-Delivery-Option URL, retrying a few times.</summary>
public sealed class As2AsyncMdnSender(HttpClient http, TimeProvider time, ILogger<As2AsyncMdnSender> logger)
{
    /// <summary>Delays between attempts; the last failure is logged as an error (the payload itself is stored).</summary>
    public IReadOnlyList<TimeSpan> Backoff { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public async Task<bool> SendAsync(As2AsyncMdn mdn, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(mdn.Body);
                using var request = new HttpRequestMessage(HttpMethod.Post, mdn.Url) { Content = content };
                foreach (var (name, value) in mdn.Headers)
                {
                    if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                    {
                        content.Headers.TryAddWithoutValidation(name, value);
                    }
                    else
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }
                }
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    logger.LogInformation("AS2 async MDN posted to {Url} ({Status})", mdn.Url, (int)response.StatusCode);
                    return true;
                }
                logger.LogWarning("AS2 async MDN to {Url} answered {Status} (attempt {Attempt})", mdn.Url, (int)response.StatusCode, attempt + 1);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning("AS2 async MDN to {Url} failed (attempt {Attempt}): {Reason}", mdn.Url, attempt + 1, ex.Message);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("AS2 async MDN to {Url} timed out (attempt {Attempt}): {Reason}", mdn.Url, attempt + 1, ex.Message);
            }
            if (attempt >= Backoff.Count)
            {
                logger.LogError("AS2 async MDN to {Url} not delivered after {Attempts} attempts; a resend of the message by the partner will be answered again", mdn.Url, attempt + 1);
                return false;
            }
            await Task.Delay(Backoff[attempt], time, cancellationToken);
        }
    }
}

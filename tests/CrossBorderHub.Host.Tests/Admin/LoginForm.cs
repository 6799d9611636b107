using System.Text.RegularExpressions;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>A browser's session without a browser: a cookie jar, the login form's antiforgery token and its POST.</summary>
public sealed partial class LoginForm : IDisposable
{
    private readonly HttpClient _http;

    public LoginForm(int adminPort)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"),
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public HttpClient Http => _http;

    /// <summary>GET /login and the hidden antiforgery field's value.</summary>
    public async Task<string> TokenAsync()
    {
        var page = await _http.GetStringAsync(new Uri("/login", UriKind.Relative));
        return TokenField().Match(page).Groups[1].Value;
    }

    public async Task<HttpResponseMessage> PostAsync(string user, string password, string? token)
    {
        var fields = new Dictionary<string, string> { ["username"] = user, ["password"] = password, ["returnUrl"] = "/" };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }
        return await _http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    public async Task<HttpResponseMessage> LogInAsync(string user, string password) => await PostAsync(user, password, await TokenAsync());

    [GeneratedRegex("name='__RequestVerificationToken' value='([^']+)'")]
    private static partial Regex TokenField();

    public void Dispose() => _http.Dispose();
}

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Issue 15, login and roles: what the admin web lets each caller do, over HTTP against the real hub.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AdminLoginTests
{
    [Test]
    public async Task Without_a_session_the_index_redirects_to_login_the_api_answers_401_and_health_and_metrics_stay_public()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        Assert.That(hub.Log, Does.Contain("hub users add admin --role admin --config"), "the first start says how to create the first admin");
        using var anonymous = new LoginForm(hub.AdminPort);
        var index = await anonymous.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(index.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(index.Headers.Location?.OriginalString, Does.StartWith($"http://127.0.0.1:{hub.AdminPort}/login"));
        foreach (var path in new[] { "/api/messages", "/api/stats", "/api/audit", "/messages/x" })
        {
            var answer = await anonymous.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.That(answer.StatusCode, Is.EqualTo(path.StartsWith("/api", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.Redirect), path);
        }
        using (var badToken = new HttpRequestMessage(HttpMethod.Get, "/api/messages"))
        {
            badToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "hub_not-a-token");
            Assert.That((await anonymous.Http.SendAsync(badToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an unknown token");
        }
        foreach (var path in new[] { "/health", "/health/live", "/metrics", "/login" })
        {
            Assert.That((await anonymous.Http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
    }

    [Test]
    public async Task A_viewer_reads_messages_but_not_payload_bytes_an_operator_reads_and_replays_and_only_an_admin_reads_the_audit()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "roles.edi"), TestDocuments.Cusdec("REFROLES"));
        using var viewer = await hub.ClientAsync("viewer");
        Assert.That(await HubProcess.EventuallyAsync(async () => JsonNode.Parse(await viewer.GetStringAsync(new Uri("/api/messages", UriKind.Relative)))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var id = JsonNode.Parse(await viewer.GetStringAsync(new Uri("/api/messages", UriKind.Relative)))!.AsArray()[0]!["id"]!.GetValue<string>();
        Assert.That((await viewer.GetAsync(new Uri("/api/stats", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await viewer.GetAsync(new Uri($"/api/messages/{id}", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await viewer.GetAsync(new Uri($"/api/messages/{id}/content", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "viewer: no payload bytes");
        Assert.That((await viewer.PostAsync(new Uri($"/api/messages/{id}/replay", UriKind.Relative), null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "viewer: no replay");
        Assert.That((await viewer.GetAsync(new Uri("/api/audit", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var verifier = await hub.ClientAsync("verifier");
        Assert.That((await verifier.GetAsync(new Uri("/api/messages", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "verifier: documents only");

        using var operatorClient = await hub.ClientAsync("operator");
        Assert.That(await operatorClient.GetByteArrayAsync(new Uri($"/api/messages/{id}/content", UriKind.Relative)), Is.EqualTo(TestDocuments.Cusdec("REFROLES")));
        // A script's POST carries no Origin: the bearer token is what authorizes it.
        Assert.That((await operatorClient.PostAsync(new Uri($"/api/messages/{id}/replay", UriKind.Relative), null)).StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Conflict));
        Assert.That((await operatorClient.GetAsync(new Uri("/api/audit", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var admin = await hub.ClientAsync();
        var audit = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/audit?limit=2", UriKind.Relative)))!;
        Assert.That(audit["events"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(audit["total"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(7), "four users and their tokens, and the replay");
        var next = JsonNode.Parse(await admin.GetStringAsync(new Uri($"/api/audit?limit=500&before={audit["next"]!.GetValue<string>()}", UriKind.Relative)))!;
        var actions = audit["events"]!.AsArray().Concat(next["events"]!.AsArray()).Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.That(actions, Does.Contain("replay").And.Contain("user-added").And.Contain("token-created"));
        Assert.That(actions, Has.Count.EqualTo(audit["total"]!.GetValue<long>()), "the cursor pages through everything once");
        Assert.That((await admin.GetAsync(new Uri("/api/audit?limit=abc", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_login_without_its_antiforgery_token_or_from_another_origin_is_refused_and_a_good_one_opens_a_session()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("olga", "operator", "olga-password-1");
        using var browser = new LoginForm(hub.AdminPort);
        await browser.TokenAsync(); // the antiforgery cookie is set, only the form field is missing
        Assert.That((await browser.PostAsync("olga", "olga-password-1", token: null)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "no antiforgery token");
        Assert.That((await browser.PostAsync("olga", "olga-password-1", token: "forged")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a forged token");

        using (var crossOrigin = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "olga", ["password"] = "olga-password-1", ["__RequestVerificationToken"] = await browser.TokenAsync() }),
        })
        {
            crossOrigin.Headers.Add("Origin", "http://attacker.example");
            Assert.That((await browser.Http.SendAsync(crossOrigin)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "cross-origin POST");
        }

        var login = await browser.LogInAsync("olga", "olga-password-1");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await login.Content.ReadAsStringAsync());
        var index = await browser.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.That(index.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(index.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'").And.Contain("frame-ancestors 'none'"));
        Assert.That(await index.Content.ReadAsStringAsync(), Does.Contain("olga").And.Contain("id=logout"));
        Assert.That((await browser.Http.GetAsync(new Uri("/api/stats", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session works for the API too");
    }

    [Test]
    public async Task Failed_logins_lock_the_account_a_reset_unlocks_it_and_attempts_beyond_the_rate_limit_answer_429()
    {
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["Admin"] = new JsonObject { ["MaxFailedLogins"] = 3, ["LoginAttemptsPerMinute"] = 6 } },
        });
        await hub.StartAsync();
        await hub.AddUserAsync("vera", "viewer", "vera-password-1");
        using var browser = new LoginForm(hub.AdminPort);
        var wrong = await browser.LogInAsync("vera", "not-the-password");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("Wrong user name or password"));
        await browser.LogInAsync("vera", "not-the-password");
        var third = await browser.LogInAsync("vera", "not-the-password");
        Assert.That(await third.Content.ReadAsStringAsync(), Does.Contain("locked").And.Contain("hub users reset vera"));
        var locked = await browser.LogInAsync("vera", "vera-password-1");
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the right password while locked");
        Assert.That(await locked.Content.ReadAsStringAsync(), Does.Contain("locked"));

        var reset = await ProcessRunner.RunAsync("dotnet", [HubProcess.HubDll, "users", "reset", "vera", "--config", hub.ConfigPath], TimeSpan.FromSeconds(90), hub.Folder,
            standardInput: "vera-password-2\n");
        Assert.That(reset.ExitCode, Is.EqualTo(0), reset.Error);
        Assert.That((await browser.LogInAsync("vera", "vera-password-2")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "unlocked by the reset");
        Assert.That((await browser.LogInAsync("vera", "vera-password-2")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sixth attempt this minute");
        var limited = await browser.LogInAsync("vera", "vera-password-2");
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("Hub:Admin:LoginAttemptsPerMinute"));

        using var admin = await hub.ClientAsync();
        var actions = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/audit", UriKind.Relative)))!["events"]!.AsArray()
            .Select(e => (e!["action"]!.GetValue<string>(), e["user"]!.GetValue<string>(), e["remoteAddress"]?.GetValue<string>())).ToList();
        Assert.That(actions, Does.Contain(("login-failed", "vera", (string?)"127.0.0.1")).And.Contain(("login-refused", "vera", (string?)"127.0.0.1"))
            .And.Contain(("login", "vera", (string?)"127.0.0.1")).And.Contain(("password-reset", $"cli:{Environment.UserName}", (string?)null)));
    }

    [Test]
    public async Task A_non_loopback_https_admin_url_with_its_certificate_and_allowed_hosts_starts_and_serves_that_certificate()
    {
        var port = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("hub-admin-tls-").FullName;
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=hub-admin-test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(folder, "admin.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password-1"));
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject
            {
                ["Admin"] = new JsonObject
                {
                    ["Url"] = $"https://0.0.0.0:{port}", ["AllowedHosts"] = new JsonArray("hub.example.org"),
                    ["TlsCertificate"] = pfx, ["TlsCertificatePassword"] = "pfx-password-1",
                },
            },
        });
        hub.Launch();
        string? served = null;
        using var http = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => (served = presented?.Thumbprint) == certificate.Thumbprint,
        }) { Timeout = TimeSpan.FromSeconds(5) };
        Assert.That(await HubProcess.EventuallyAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri($"https://127.0.0.1:{port}/health"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60)), Is.True, hub.Log);
        Assert.That(served, Is.EqualTo(certificate.Thumbprint), "the admin port serves Hub:Admin:TlsCertificate");
        Assert.That((await http.GetAsync(new Uri($"https://127.0.0.1:{port}/api/messages"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var allowed = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/login");
        allowed.Headers.Host = $"hub.example.org:{port}";
        Assert.That((await http.SendAsync(allowed)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a name of Hub:Admin:AllowedHosts");
        using var foreign = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/login");
        foreign.Headers.Host = $"other.example.org:{port}";
        Assert.That((await http.SendAsync(foreign)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "any other name");
        Directory.Delete(folder, recursive: true);
    }

    [TestCase("http://0.0.0.0:{0}", null, "not https with a certificate")]
    [TestCase("https://0.0.0.0:{0}", null, "not https with a certificate")]
    [TestCase("https://0.0.0.0:{0}", "missing.pfx", "Hub:Admin:TlsCertificate")]
    [TestCase("https://0.0.0.0:{0}", "hub.json", "Hub:Admin:AllowedHosts is empty")]
    public async Task A_non_loopback_admin_url_without_tls_is_refused_at_start_up_with_the_setting_and_the_fix(string url, string? certificate, string expected)
    {
        var admin = new JsonObject { ["Url"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, FreePort.Next()) };
        if (certificate is not null)
        {
            admin["TlsCertificate"] = certificate;
        }
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Admin"] = admin } });
        var result = await hub.CliAsync("run");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Error);
        Assert.That(lines[0], Does.Contain(expected).And.Contain("Hub:Admin:"));
    }
}

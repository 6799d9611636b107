using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Issue 15 in a real browser: Debian's chromium through chromium-driver, logging in to the real hub.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AdminBrowserTests
{
    [Test]
    public async Task A_wrong_password_is_refused_on_the_page_a_viewer_logs_in_but_is_denied_the_audit_and_payloads_and_logs_out()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("vince", "viewer", "vince-password-1");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "browser.edi"), TestDocuments.Cusdec("REFBROWSER"));
        Assert.That(await HubProcess.EventuallyAsync(async () => (await hub.MessagesAsync()).Count == 1, TimeSpan.FromSeconds(15)), Is.True, hub.Log);
        var id = (await hub.MessagesAsync()).Single()!["message"]!["id"]!.GetValue<string>();
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();

        browser.Open(admin + "/");
        Assert.That(browser.Url, Does.StartWith(admin + "/login"), "no session: the index sends the browser to the login page");
        browser.LogIn(admin, "vince", "wrong-password");
        Assert.That(browser.Driver.FindElement(By.Id("error")).Text, Does.Contain("Wrong user name or password"));

        var index = browser.LogIn(admin, "vince", "vince-password-1");
        Assert.That(browser.Url, Is.EqualTo(admin + "/"));
        Assert.That(index, Does.Contain("browser.edi").And.Contain("vince"));
        Assert.That(browser.Open($"{admin}/api/audit"), Does.Contain("Forbidden"), "the audit is for admins");
        Assert.That(browser.Open($"{admin}/api/messages/{id}/content"), Does.Contain("Forbidden"), "a viewer sees no payload bytes");
        Assert.That(browser.Open($"{admin}/messages/{id}"), Does.Contain("REFBROWSER"), "but the message page");

        browser.Open(admin + "/");
        browser.ClickAndWait(By.Id("logout"));
        Assert.That(browser.Url, Does.StartWith(admin + "/login"), "logged out");
        browser.Open(admin + "/");
        Assert.That(browser.Url, Does.StartWith(admin + "/login"), "the session is gone");
    }
}

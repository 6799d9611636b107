using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Issue 15 in a real browser (chromium through chromium-driver): an admin adds a partner and a route in the forms,
/// the next dropped file follows the new route without a restart, the change is in the audit with its diff, a roll
/// back restores the old route; a field error is shown beside its field; a viewer may read but not edit.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConfigurationBrowserTests
{
    private static void Fill(IWebDriver driver, string id, string value)
    {
        var field = AdminBrowser.WaitFor(driver, id); // the form a click opened may still be loading
        field.Clear();
        field.SendKeys(value);
    }

    private static async Task DropAndWaitAsync(HubProcess hub, string reference, string partner)
    {
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), reference + ".edi"), TestDocuments.Cusdec(reference));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles(partner).Any(f => f.EndsWith(reference + ".edi", StringComparison.Ordinal))), TimeSpan.FromSeconds(30)),
            Is.True, $"{reference} delivered to {partner}\n{hub.Log}");
    }

    [Test]
    public async Task A_partner_and_a_route_added_in_the_forms_apply_to_the_next_file_are_audited_and_rolled_back_and_a_viewer_cannot_edit()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("ada", "admin", "ada-password-1");
        await hub.AddUserAsync("vic", "viewer", "vic-password-1");
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();
        var driver = browser.Driver;
        browser.Open(admin + "/partners");
        browser.LogIn(admin, "ada", "ada-password-1");
        Assert.That(browser.Url, Is.EqualTo(admin + "/partners"));

        browser.ClickAndWait(By.Id("add-partner"));
        Fill(driver, "key", "SG");
        Fill(driver, "Country", "sg");
        Fill(driver, "Identifiers", "SGSW");
        Fill(driver, "OutboundType", "folder");
        Fill(driver, "OutboundSettings", "Path=deliver/SG");
        browser.ClickAndWait(By.Id("save"));
        Assert.That(browser.WaitFor("error-Country").Text, Does.Contain("is not an ISO 3166 alpha-2 code: use two capital letters"), "the error beside its field, with the fix");
        Fill(driver, "Country", "SG");
        Fill(driver, "comment", "Singapore joins");
        browser.ClickAndWait(By.Id("save"));
        Assert.That(browser.WaitFor("saved").Text, Does.Contain("version 2"));
        Assert.That(driver.FindElement(By.Id("partner-SG")).Text, Does.Contain("SGSW").And.Contain("folder"));

        browser.Open(admin + "/routes");
        browser.ClickAndWait(By.Id("add-route"));
        Fill(driver, "Position", "0");
        Fill(driver, "Name", "Thailand via Singapore");
        Fill(driver, "Recipient", "THSW");
        Fill(driver, "To", "SG");
        browser.ClickAndWait(By.Id("save"));
        Assert.That(browser.WaitFor("saved").Text, Does.Contain("version 3"));
        Assert.That(driver.FindElement(By.Id("route-0")).Text, Does.Contain("Thailand via Singapore"));

        await DropAndWaitAsync(hub, "REFFORM", "SG");

        var audit = browser.Open(admin + "/api/audit");
        Assert.That(audit, Does.Contain("config-change").And.Contain("configuration version 3").And.Contain("Thailand via Singapore"));

        browser.Open(admin + "/config");
        Assert.That(driver.FindElement(By.Id("running")).Text, Is.EqualTo("3"));
        browser.ClickAndWait(By.Id("rollback-2"));
        Assert.That(browser.WaitFor("saved").Text, Does.Contain("version 4"));
        browser.Open(admin + "/config/4");
        Assert.That(driver.FindElement(By.Id("diff")).Text, Does.Contain("- \"Name\": \"Thailand via Singapore\","), "the roll back's diff removes the route");
        await DropAndWaitAsync(hub, "REFBACK", "TH");

        browser.Open(admin + "/");
        browser.ClickAndWait(By.Id("logout"));
        browser.LogIn(admin, "vic", "vic-password-1");
        var partners = browser.Open(admin + "/partners");
        Assert.That(partners, Does.Contain("SGSW").And.Contain("Only an admin may change partners"));
        Assert.That(driver.FindElements(By.Id("add-partner")), Is.Empty);
        Assert.That(browser.Open(admin + "/partners/edit?name=SG"), Does.Contain("Forbidden"), "a viewer gets no form to save");
        Assert.That(browser.Open(admin + "/config"), Does.Contain("Forbidden"));
    }
}

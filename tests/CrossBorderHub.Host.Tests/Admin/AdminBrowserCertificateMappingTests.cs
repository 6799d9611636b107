using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Host.Tests.EndToEnd;
using CrossBorderHub.Host.Tests.Mappings;
using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>Issue 15 in a real browser: a certificate uploaded in the form and listed with its expiry; the mapping editor refusing a broken edit beside its line and saving a correct one that maps the next message.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AdminBrowserCertificateMappingTests
{
    private static async Task<bool> UntilAsync(Func<bool> condition) =>
        await HubProcess.EventuallyAsync(() => Task.FromResult(condition()), TimeSpan.FromSeconds(15));

    [Test]
    public async Task An_admin_uploads_a_partner_certificate_in_the_form_and_sees_it_listed_with_its_expiry_marked_as_expiring()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("ada", "admin", "ada-password-1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var notAfter = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(20).AddHours(12), TimeSpan.Zero);
        using var certificate = new CertificateRequest("CN=Thai NSW signer 2026", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), notAfter);
        var file = Path.Combine(hub.Folder, "th-signer.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem());
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();
        browser.LogIn(admin, "ada", "ada-password-1");

        browser.Open(admin + "/certificates");
        browser.Driver.FindElement(By.XPath("//select[@id='partner']/option[text()='TH']")).Click();
        browser.Driver.FindElement(By.Id("use-as2")).Click();
        browser.Driver.FindElement(By.Id("file")).SendKeys(file);
        browser.ClickAndWait(By.Id("upload-button"));

        Assert.That(browser.Driver.FindElement(By.Id("outcome")).Text, Does.Contain("pinned to TH for signature,as2"));
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        var row = browser.Driver.FindElement(By.CssSelector($"#certificates tr[data-fingerprint='{fingerprint}']"));
        Assert.That(row.Text, Does.Contain("CN=Thai NSW signer 2026").And.Contain("TH"));
        Assert.That(row.FindElement(By.ClassName("expires")).Text, Is.EqualTo(notAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.That(row.GetAttribute("class"), Is.EqualTo("expiring"), "20 days left: highlighted");
        var rows = browser.Driver.FindElements(By.CssSelector("#certificates td.expires")).Select(e => e.Text).Where(t => t.Length > 0).ToList();
        Assert.That(rows, Is.Ordered, "sorted by expiry");

        // The same file again: refused on the page, one line saying why.
        browser.Driver.FindElement(By.XPath("//select[@id='partner']/option[text()='TH']")).Click();
        browser.Driver.FindElement(By.Id("file")).SendKeys(file);
        browser.ClickAndWait(By.Id("upload-button"));
        Assert.That(browser.Driver.FindElement(By.Id("outcome")).Text, Does.Contain("already has the certificate"));
    }

    [Test]
    public async Task A_broken_mapping_edit_is_refused_beside_its_line_and_a_correct_edit_is_saved_and_maps_the_next_message()
    {
        await using var hub = MappedRouteHub.Create(new JsonArray(MappedRouteHub.Route("envelopes to Thailand", "CN", MappingEditorApiTests.Name, "TH")), out var mappings);
        await hub.StartAsync();
        await hub.AddUserAsync("ada", "admin", "ada-password-1");
        var rules = await File.ReadAllTextAsync(Path.Combine(mappings, MappingEditorApiTests.Name, "envelope.xsl"));
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();
        browser.LogIn(admin, "ada", "ada-password-1");

        browser.Open(admin + "/mappings");
        var listed = browser.Driver.FindElement(By.CssSelector($"#mappings tr[data-name='{MappingEditorApiTests.Name}']"));
        Assert.That(listed.Text, Does.Contain("1.0").And.Contain("loaded").And.Contain("xml ephyto-sps"));
        listed.FindElement(By.TagName("a")).Click();
        var js = (IJavaScriptExecutor)browser.Driver;
        Assert.That(await UntilAsync(() => js.ExecuteScript("return window.hubMappingEditor ? 1 : 0") is 1L), Is.True, "CodeMirror started");
        Assert.That(browser.Driver.FindElements(By.CssSelector(".CodeMirror")), Has.Count.EqualTo(1));

        var (broken, line) = MappingEditorApiTests.Broken(rules);
        js.ExecuteScript("window.hubMappingEditor.setValue(arguments[0])", broken);
        browser.Driver.FindElement(By.Id("save")).Click();
        Assert.That(await UntilAsync(() => browser.Driver.FindElements(By.CssSelector(".CodeMirror .mapping-error")).Count > 0), Is.True, "an error widget in the editor");
        var beside = browser.Driver.FindElement(By.CssSelector(".CodeMirror .mapping-error"));
        Assert.That(beside.GetAttribute("data-line"), Is.EqualTo(line.ToString(CultureInfo.InvariantCulture)));
        Assert.That(beside.Text, Does.Contain($"line {line}"));
        Assert.That(browser.Driver.FindElement(By.Id("save-result")).Text, Does.Contain("not saved"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(mappings, MappingEditorApiTests.Name, "envelope.xsl")), Is.EqualTo(rules), "nothing written");

        // A trial run of the correct edit: output and findings side by side.
        js.ExecuteScript("window.hubMappingEditor.setValue(arguments[0])", MappingEditorApiTests.Renamed(rules));
        js.ExecuteScript("document.getElementById('sample').value = arguments[0]", MappedRouteHub.Certificate("CN-PC-2026-WEB001"));
        browser.Driver.FindElement(By.Id("run")).Click();
        Assert.That(await UntilAsync(() => browser.Driver.FindElement(By.Id("output")).Text.Contains("CN-PC-2026-WEB001", StringComparison.Ordinal)), Is.True);
        Assert.That(browser.Driver.FindElement(By.Id("output")).Text, Does.Contain("<env:Origin>"));
        Assert.That(browser.Driver.FindElement(By.Id("findings")).Text, Does.Contain("no findings"));
        Assert.That(browser.Driver.FindElements(By.CssSelector(".CodeMirror .mapping-error")), Is.Empty, "the run's clean load cleared the old errors");

        var version = browser.Driver.FindElement(By.Id("version"));
        Assert.That(version.GetAttribute("value"), Is.EqualTo("1.1"), "the next version is proposed");
        browser.Driver.FindElement(By.Id("save")).Click();
        Assert.That(await UntilAsync(() => browser.Driver.FindElement(By.Id("save-result")).Text.StartsWith("saved: version 1.1", StringComparison.Ordinal)), Is.True,
            browser.Driver.FindElement(By.Id("save-result")).Text);

        await File.WriteAllTextAsync(Path.Combine(hub.Drop("CN"), "after-browser-edit.xml"), MappedRouteHub.Certificate("CN-PC-2026-WEB002"));
        var (_, events) = await MappedRouteHub.MessageAsync(hub, "after-browser-edit.xml", "Delivered");
        Assert.That(MappedRouteHub.Details(events, "mapped").Single(), Does.StartWith($"mapping {MappingEditorApiTests.Name} version 1.1 "));
        Assert.That(await File.ReadAllTextAsync(hub.DeliveredFiles("TH").Single()), Does.Contain("<env:Origin>CN</env:Origin>"));
        browser.Open(admin + "/mappings");
        Assert.That(browser.Driver.FindElement(By.CssSelector($"#mappings tr[data-name='{MappingEditorApiTests.Name}'] .version")).Text, Is.EqualTo("1.1"));
    }
}

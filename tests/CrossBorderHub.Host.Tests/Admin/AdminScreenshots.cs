using System.Drawing;
using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Makes the screenshots in docs/admin.md: a hub with a little traffic, each main page in headless chromium as an
/// admin sees it. Explicit: it writes into the checkout's docs/images, so it runs only when asked
/// (`dotnet test --filter FullyQualifiedName~AdminScreenshots`); it still fails when a page does not render.
/// </summary>
[Explicit("writes docs/images; run by hand when the pages change")]
[NonParallelizable]
public sealed class AdminScreenshots
{
    private static readonly (string Path, string File, string Marker)[] Pages =
    [
        ("/", "admin-messages.png", "id=\"messages\""),
        ("/documents", "admin-documents.png", "DECSHOT1"),
        ("/statistics", "admin-statistics.png", "<canvas"),
        ("/partners", "admin-partners.png", "THSW"),
        ("/routes", "admin-routes.png", "route"),
        ("/certificates", "admin-certificates.png", "SHA-256"),
        ("/mappings/cusdec-d96b-to-wco-dec", "admin-mapping-editor.png", "CodeMirror"),
        ("/alerts", "admin-alerts.png", "Alerts"),
        ("/config", "admin-configuration.png", "ersion"),
        ("/audit", "admin-audit.png", "login"),
    ];

    [Test]
    public async Task Main_pages()
    {
        var images = Path.Combine(Checkout(), "docs", "images");
        Directory.CreateDirectory(images);
        await using var hub = new HubProcess(new JsonObject { ["Hub"] = new JsonObject { ["Alerts"] = new JsonObject { ["Interval"] = "00:00:01" } } });
        await hub.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec1.edi"), TestDocuments.Cusdec("DECSHOT1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec2.edi"), TestDocuments.Cusdec("DECSHOT2"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co.xml"), TestDocuments.CertificateOfOrigin("CO-SHOT-1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "bad.edi"), TestDocuments.Cusdec("DECSHOT3", recipient: "NOWHERE"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length >= 3), TimeSpan.FromSeconds(60)), Is.True, hub.Log);
        await hub.AddUserAsync("admin", "admin", "screenshot-password-1");

        using var browser = new AdminBrowser();
        browser.Driver.Manage().Window.Size = new Size(1280, 860);
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        browser.Open(admin + "/");
        browser.LogIn(admin, "admin", "screenshot-password-1");
        foreach (var (path, file, marker) in Pages)
        {
            var source = browser.Open(admin + path);
            await Task.Delay(TimeSpan.FromSeconds(1)); // charts and the editor draw after the page's scripts ran
            Assert.That(browser.Driver.PageSource, Does.Contain(marker), $"{path}: {source[..Math.Min(400, source.Length)]}");
            ((ITakesScreenshot)browser.Driver).GetScreenshot().SaveAsFile(Path.Combine(images, file));
        }
    }

    private static string Checkout()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CrossBorderHub.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("run from the checkout: CrossBorderHub.sln not found above " + AppContext.BaseDirectory);
    }
}

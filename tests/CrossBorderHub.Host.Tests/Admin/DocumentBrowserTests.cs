using OpenQA.Selenium;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Issue 16's admin pages in a real browser (the AdminBrowser fixture): the statistics page draws its Chart.js
/// charts from the JSON API under the CSP, and the documents page finds a dropped CUSDEC by its number.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DocumentBrowserTests
{
    [Test]
    public async Task The_statistics_page_draws_its_charts_and_the_documents_page_finds_a_dropped_cusdec_by_number()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("vera", "viewer", "vera-password-1");
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "dec.edi"), TestDocuments.Cusdec("DECBROWSE1"));
        await File.WriteAllBytesAsync(Path.Combine(hub.Drop("CN"), "co.xml"), TestDocuments.CertificateOfOrigin("CO-BROWSE-1"));
        Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(hub.DeliveredFiles("TH").Length == 2), TimeSpan.FromSeconds(30)), Is.True, hub.Log);
        var admin = $"http://127.0.0.1:{hub.AdminPort}";
        using var browser = new AdminBrowser();
        browser.Open(admin + "/statistics");
        browser.LogIn(admin, "vera", "vera-password-1");
        browser.Open(admin + "/statistics?period=day");

        var js = (IJavaScriptExecutor)browser.Driver;
        foreach (var (canvas, expected) in new[] { ("chart-country", new[] { "CN" }), ("chart-type", new[] { "CUSDEC/830", "CertificateOfOrigin" }) })
        {
            // Drawn: the script set data-points after Chart.js rendered the API's rows (it fetches asynchronously).
            Assert.That(await HubProcess.EventuallyAsync(() => Task.FromResult(browser.Driver.FindElement(By.Id(canvas)).GetAttribute("data-points") is { Length: > 0 }), TimeSpan.FromSeconds(20)),
                Is.True, $"{canvas} was never drawn: {string.Join(" | ", browser.Driver.FindElements(By.CssSelector(".error")).Select(e => e.Text))}");
            var labels = js.ExecuteScript($"return Chart.getChart(document.getElementById('{canvas}')).data.datasets.map(function (d) {{ return d.label; }});") as IEnumerable<object>;
            var total = Convert.ToInt64(js.ExecuteScript($"return Chart.getChart(document.getElementById('{canvas}')).data.datasets.reduce(function (s, d) {{ return s + d.data.reduce(function (a, b) {{ return a + b; }}, 0); }}, 0);"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(labels?.Select(l => l.ToString()), Is.EquivalentTo(expected), canvas);
            Assert.That(total, Is.EqualTo(2), $"{canvas}: both documents are on the chart");
            var painted = Convert.ToInt64(js.ExecuteScript(
                $"var c = document.getElementById('{canvas}'); var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; var n = 0; for (var i = 3; i < d.length; i += 4) {{ if (d[i] > 0) n++; }} return n;"),
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(painted, Is.GreaterThan(100), $"{canvas}: pixels were drawn");
        }
        Assert.That(browser.Driver.FindElement(By.Id("csv")).GetAttribute("href"), Does.Contain("format=csv"));

        browser.Open(admin + "/documents");
        browser.Driver.FindElement(By.Id("search-number")).SendKeys("DECBROWSE1");
        browser.ClickAndWait(By.Id("search"));
        var rows = browser.Driver.FindElements(By.CssSelector("#documents tr")).Skip(1).ToList();
        Assert.That(rows, Has.Count.EqualTo(1), browser.Driver.PageSource);
        Assert.That(rows[0].Text, Does.Contain("CUSDEC/830").And.Contain("Delivered"));
        browser.ClickAndWait(By.LinkText("DECBROWSE1"));
        Assert.That(browser.Driver.FindElement(By.Id("document-state")).Text, Is.EqualTo("Delivered"));
        Assert.That(browser.Driver.FindElement(By.Id("step-delivered")).GetAttribute("class"), Is.EqualTo("ok"));
    }
}

using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Debian's chromium driven through Debian's chromium-driver (Selenium WebDriver), headless, with a profile of its
/// own: what an operator's browser does with the admin web, cookies, forms and redirects included.
/// </summary>
public sealed class AdminBrowser : IDisposable
{
    private readonly ChromeDriver _driver;
    private readonly string _profile;

    public AdminBrowser()
    {
        var chromium = RequiredTool.Find("chromium", "chromium");
        var chromedriver = RequiredTool.Find("chromedriver", "chromium-driver");
        _profile = Directory.CreateTempSubdirectory("hub-selenium-").FullName;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    public string Url => _driver.Url;

    public string Open(string url)
    {
        _driver.Navigate().GoToUrl(url);
        return _driver.PageSource;
    }

    /// <summary>Fills the login form (wherever the browser was sent to it) and submits it; returns the page that follows.</summary>
    public string LogIn(string adminUrl, string user, string password)
    {
        if (!_driver.Url.Contains("/login", StringComparison.Ordinal))
        {
            _driver.Navigate().GoToUrl(adminUrl + "/login");
        }
        _driver.FindElement(By.Id("username")).SendKeys(user);
        _driver.FindElement(By.Id("password")).SendKeys(password);
        ClickAndWait(By.Id("login"));
        return _driver.PageSource;
    }

    /// <summary>
    /// Clicks what submits a form or follows a link, and returns once the next page has replaced this one: a marker
    /// set on the old page's window is gone, and the new document is complete. A bare Click() does not always block
    /// until then (on the CI machine a login's redirect arrived after the test had opened the next page, and overrode
    /// it). The marker replaced polling the old page's root element for staleness: mid-navigation Chrome 156 answered
    /// that with "Node with given id does not belong to the document", an unknown error rather than a stale element.
    /// </summary>
    public void ClickAndWait(By target)
    {
        var script = _driver;
        script.ExecuteScript("window.__hubPageBeforeClick = true;");
        _driver.FindElement(target).Click();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string state = "not asked";
        while (true)
        {
            try
            {
                state = script.ExecuteScript("return window.__hubPageBeforeClick === true ? 'old page' : document.readyState") as string ?? "none";
            }
            catch (WebDriverException navigating)
            {
                // While one document unloads and the next loads, a script may fail (no document, a detached frame):
                // that is the navigation under way, asked again after a pause.
                state = navigating.Message;
            }
            if (state == "complete")
            {
                return;
            }
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"clicking {target} did not open a new page within 20 s: still on {_driver.Url} ({state})");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// The element with <paramref name="id"/> once the page that a click started has loaded. A click that submits a
    /// form does not always block until the next page is there (it did not on the CI machine): polled for up to 20 s,
    /// then a failure that shows the page the browser is on.
    /// </summary>
    public IWebElement WaitFor(string id) => WaitFor(_driver, id);

    /// <inheritdoc cref="WaitFor(string)"/>
    public static IWebElement WaitFor(IWebDriver driver, string id)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (driver.FindElements(By.Id(id)) is [var found, ..])
            {
                return found;
            }
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"no element #{id} on {driver.Url} after 20 s:\n{driver.FindElement(By.TagName("body")).Text}");
            }
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

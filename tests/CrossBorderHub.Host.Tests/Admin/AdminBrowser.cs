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
    /// Clicks what submits a form or follows a link, and returns once the next page has replaced this one: the old
    /// page's root element goes stale, then the new document is complete. A bare Click() does not always block until
    /// then (on the CI machine a login's redirect arrived after the test had opened the next page, and overrode it).
    /// </summary>
    public void ClickAndWait(By target)
    {
        var page = _driver.FindElement(By.TagName("html"));
        _driver.FindElement(target).Click();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!IsStale(page) || !Equals(((IJavaScriptExecutor)_driver).ExecuteScript("return document.readyState"), "complete"))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"clicking {target} did not open a new page within 20 s: still on {_driver.Url}");
            }
            Thread.Sleep(50);
        }
    }

    private static bool IsStale(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
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

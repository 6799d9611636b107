namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// The shared page frame: vendored client files come from hub.dll (no internet needed, only on the admin port), and
/// the navigation offers only what the user's role may open.
/// </summary>
[NonParallelizable]
public sealed class AdminLayoutTests
{
    [Test]
    public async Task Vendored_files_are_served_locally_on_the_admin_port_only_and_the_navigation_follows_the_role()
    {
        var as2Port = FreePort.Next();
        await using var hub = new HubProcess(new JsonObject
        {
            ["Hub"] = new JsonObject { ["As2"] = new JsonObject { ["Id"] = "HUB", ["Url"] = $"http://127.0.0.1:{as2Port}" } },
        });
        await hub.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.AdminPort}"), Timeout = TimeSpan.FromSeconds(20) };
        foreach (var (path, type, marker) in new[]
                 {
                     ("/static/vendor/htmx/htmx.min.js", "text/javascript", "htmx"),
                     ("/static/vendor/chartjs/chart.umd.min.js", "text/javascript", "Chart"),
                     ("/static/vendor/codemirror/codemirror.js", "text/javascript", "CodeMirror"),
                     ("/static/vendor/codemirror/codemirror.css", "text/css", ".CodeMirror"),
                     ("/static/vendor/codemirror/mode/xml.js", "text/javascript", "defineMode"),
                 })
        {
            var answer = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo(type), path);
            Assert.That(await answer.Content.ReadAsStringAsync(), Does.Contain(marker), path);
        }
        Assert.That((await anonymous.GetAsync(new Uri("/static/vendor/htmx/missing.js", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await anonymous.GetAsync(new Uri("/static/../hub.dll", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var as2 = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Assert.That((await as2.GetAsync(new Uri($"http://127.0.0.1:{as2Port}/static/vendor/htmx/htmx.min.js"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "not on the AS2 port");

        using var viewer = await hub.ClientAsync("viewer");
        var viewerPage = await viewer.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.That(viewerPage, Does.Contain("href='/documents'").And.Contain("id=logout"));
        Assert.That(viewerPage, Does.Not.Contain("href='/users'").And.Not.Contain("href='/audit'"), "a viewer is not offered admin pages");
        using var admin = await hub.ClientAsync("admin");
        var adminPage = await admin.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.That(adminPage, Does.Contain("href='/users'").And.Contain("href='/audit'").And.Contain("id=messages"));
        var missing = await admin.GetAsync(new Uri("/messages/no-such-id", UriKind.Relative));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("no-such-id").And.Contain("id=nav"));
    }
}

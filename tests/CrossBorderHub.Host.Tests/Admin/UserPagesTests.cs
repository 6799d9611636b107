using System.Text.RegularExpressions;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>/users through a browser's session (cookie, antiforgery token): add, role, new password, remove; admin only.</summary>
[TestFixture]
public sealed partial class UserPagesTests
{
    [GeneratedRegex("name='__RequestVerificationToken' value='([^']+)'")]
    private static partial Regex TokenField();

    private static async Task<HttpResponseMessage> PostAsync(LoginForm session, Dictionary<string, string> fields, bool withToken = true)
    {
        var page = await session.Http.GetStringAsync(new Uri("/users", UriKind.Relative));
        if (withToken)
        {
            fields["__RequestVerificationToken"] = TokenField().Match(page).Groups[1].Value;
        }
        return await session.Http.PostAsync(new Uri("/users", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    [Test]
    public async Task An_admin_adds_a_user_changes_its_role_sets_a_password_and_removes_it_each_audited_and_a_viewer_may_not()
    {
        await using var hub = new HubProcess();
        await hub.StartAsync();
        await hub.AddUserAsync("ada", "admin", "ada-password-1");
        using var session = new LoginForm(hub.AdminPort);
        Assert.That((await session.LogInAsync("ada", "ada-password-1")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var added = await PostAsync(session, new() { ["action"] = "add", ["name"] = "otto", ["role"] = "operator", ["password"] = "otto-password-1" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await added.Content.ReadAsStringAsync());
        var shortPassword = await PostAsync(session, new() { ["action"] = "add", ["name"] = "olga", ["role"] = "viewer", ["password"] = "short" });
        Assert.That(shortPassword.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await shortPassword.Content.ReadAsStringAsync(), Does.Contain("the password has 5 characters: use at least 10."));
        Assert.That((await PostAsync(session, new() { ["action"] = "role", ["name"] = "otto", ["role"] = "viewer" })).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await PostAsync(session, new() { ["action"] = "password", ["name"] = "otto", ["password"] = "otto-password-2" })).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        var list = await session.Http.GetStringAsync(new Uri("/users", UriKind.Relative));
        Assert.That(list, Does.Contain("<tr id='user-otto'><td>otto</td><td>viewer</td>"));
        using (var otto = new LoginForm(hub.AdminPort))
        {
            Assert.That((await otto.LogInAsync("otto", "otto-password-2")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the new password works");
            Assert.That((await otto.Http.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a viewer may not open /users");
        }
        var self = await PostAsync(session, new() { ["action"] = "remove", ["name"] = "ada" });
        Assert.That(await self.Content.ReadAsStringAsync(), Does.Contain("you are signed in as &#39;ada&#39;"));
        var forged = await PostAsync(session, new() { ["action"] = "remove", ["name"] = "otto" }, withToken: false);
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "no antiforgery token, no change");
        Assert.That((await PostAsync(session, new() { ["action"] = "remove", ["name"] = "otto" })).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await session.Http.GetStringAsync(new Uri("/users", UriKind.Relative)), Does.Not.Contain("user-otto"));

        using var api = await hub.ClientAsync("admin");
        var audit = await api.GetStringAsync("/api/audit");
        foreach (var action in new[] { "user-added", "user-role", "user-reset", "user-removed" })
        {
            Assert.That(audit, Does.Contain($"\"action\": \"{action}\""), action);
        }
    }
}

using CrossBorderHub.Core.Security;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Users, API tokens and the audit trail of the admin web.</summary>
public abstract partial class StoreContract
{
    private DapperUserStore Users => new(((DapperMessageStore)Store).Dialect);

    private static HubUser User(string name, string role = HubRoles.Viewer) => new(name, role, "hash-of-" + name, 0, null, T0);

    [Test]
    public async Task A_user_is_added_once_listed_by_name_and_found_with_its_role()
    {
        var users = Users;
        Assert.That(await users.AnyAsync(CancellationToken.None), Is.False, "an empty store has no users");
        Assert.That(await users.AddAsync(User("zoe", HubRoles.Admin), CancellationToken.None), Is.True);
        Assert.That(await users.AddAsync(User("anna"), CancellationToken.None), Is.True);
        Assert.That(await users.AddAsync(User("anna", HubRoles.Admin), CancellationToken.None), Is.False, "a second user of the same name");
        Assert.That(await users.AnyAsync(CancellationToken.None), Is.True);
        Assert.That((await users.ListAsync(CancellationToken.None)).Select(u => (u.Name, u.Role)), Is.EqualTo(new[] { ("anna", HubRoles.Viewer), ("zoe", HubRoles.Admin) }));
        var zoe = await users.FindAsync("zoe", CancellationToken.None);
        Assert.That((zoe!.PasswordHash, zoe.CreatedAt, zoe.FailedLogins, zoe.LockedUntil), Is.EqualTo(("hash-of-zoe", T0, 0, (DateTimeOffset?)null)));
        Assert.That(await users.FindAsync("nobody", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Failed_logins_lock_the_account_at_the_limit_and_a_new_password_unlocks_it()
    {
        var users = Users;
        await users.AddAsync(User("ops", HubRoles.Operator), CancellationToken.None);
        var until = T0.AddMinutes(15);
        Assert.That((await users.RecordFailedLoginAsync("ops", 3, until, CancellationToken.None))!.FailedLogins, Is.EqualTo(1));
        await users.RecordLoginAsync("ops", CancellationToken.None);
        Assert.That((await users.FindAsync("ops", CancellationToken.None))!.FailedLogins, Is.Zero, "a login clears the count");
        await users.RecordFailedLoginAsync("ops", 3, until, CancellationToken.None);
        await users.RecordFailedLoginAsync("ops", 3, until, CancellationToken.None);
        var locked = await users.RecordFailedLoginAsync("ops", 3, until, CancellationToken.None);
        Assert.That(locked!.LockedUntil, Is.EqualTo(until));
        Assert.That(await users.RecordFailedLoginAsync("nobody", 3, until, CancellationToken.None), Is.Null);
        Assert.That(await users.SetPasswordAsync("ops", "new-hash", CancellationToken.None), Is.True);
        var reset = await users.FindAsync("ops", CancellationToken.None);
        Assert.That((reset!.PasswordHash, reset.LockedUntil), Is.EqualTo(("new-hash", (DateTimeOffset?)null)));
        Assert.That(await users.SetPasswordAsync("nobody", "x", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task An_api_token_finds_its_user_by_its_hash_only()
    {
        var users = Users;
        await users.AddAsync(User("robot"), CancellationToken.None);
        await users.AddTokenAsync("robot", "a1b2", T0, CancellationToken.None);
        Assert.That((await users.FindByTokenAsync("a1b2", CancellationToken.None))?.Name, Is.EqualTo("robot"));
        Assert.That(await users.FindByTokenAsync("a1b3", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_audit_trail_pages_newest_first_with_a_cursor()
    {
        var audit = Users;
        for (var i = 0; i < 5; i++)
        {
            await audit.AddAsync(T0.AddMinutes(i), "admin", "127.0.0.1", "login", $"event {i}", CancellationToken.None);
        }
        var first = await audit.PageAsync(null, 2, CancellationToken.None);
        Assert.That(first.Select(e => e.Detail), Is.EqualTo(new[] { "event 4", "event 3" }));
        Assert.That((first[0].At, first[0].User, first[0].RemoteAddress, first[0].Action), Is.EqualTo((T0.AddMinutes(4), "admin", (string?)"127.0.0.1", "login")));
        var second = await audit.PageAsync(first[^1].Id, 2, CancellationToken.None);
        Assert.That(second.Select(e => e.Detail), Is.EqualTo(new[] { "event 2", "event 1" }));
        var last = await audit.PageAsync(second[^1].Id, 2, CancellationToken.None);
        Assert.That(last.Select(e => e.Detail), Is.EqualTo(new[] { "event 0" }));
        Assert.That(await audit.CountAsync(CancellationToken.None), Is.EqualTo(5));
    }
}

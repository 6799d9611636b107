using CrossBorderHub.Core.Configuration;

namespace CrossBorderHub.Storage.Tests;

/// <summary>The versions of the partners and routes (hub_config_versions), on every dialect.</summary>
public abstract partial class StoreContract
{
    private DapperConfigurationVersions ConfigurationVersions => new(((DapperMessageStore)Store).Dialect);

    [Test]
    public async Task Configuration_versions_number_from_one_list_newest_first_and_keep_their_json()
    {
        var versions = ConfigurationVersions;
        Assert.That(await versions.LatestVersionAsync(CancellationToken.None), Is.Zero, "an empty store has no version");
        Assert.That(await versions.GetAsync(null, CancellationToken.None), Is.Null);
        Assert.That(await versions.AddAsync(null, T0, "hub", "seeded", """{"Partners":{},"Routes":[]}""", "hash-1", CancellationToken.None), Is.EqualTo(1));
        Assert.That(await versions.AddAsync(1, T0.AddMinutes(1), "anna", "route added", """{"Partners":{"TH":{}},"Routes":[]}""", null, CancellationToken.None), Is.EqualTo(2));

        Assert.That(await versions.LatestVersionAsync(CancellationToken.None), Is.EqualTo(2));
        var newest = await versions.GetAsync(null, CancellationToken.None);
        Assert.That((newest!.Version, newest.User, newest.Comment, newest.SavedAt, newest.FileHash), Is.EqualTo((2L, "anna", "route added", T0.AddMinutes(1), (string?)null)));
        Assert.That(newest.Json, Does.Contain("\"TH\""));
        Assert.That((await versions.GetAsync(1, CancellationToken.None))!.FileHash, Is.EqualTo("hash-1"));
        Assert.That(await versions.GetAsync(7, CancellationToken.None), Is.Null);
        var list = await versions.ListAsync(CancellationToken.None);
        Assert.That(list.Select(v => v.Version), Is.EqualTo(new[] { 2L, 1L }));
        Assert.That(list.All(v => v.Json.Length == 0), Is.True, "the list leaves the JSON out");
        Assert.That(await versions.HasFileHashAsync("hash-1", CancellationToken.None), Is.True);
        Assert.That(await versions.HasFileHashAsync("hash-2", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task A_save_expecting_an_older_version_is_refused_and_concurrent_saves_get_distinct_numbers()
    {
        var versions = ConfigurationVersions;
        await versions.AddAsync(null, T0, "hub", "seeded", "{}", null, CancellationToken.None);
        await versions.AddAsync(1, T0, "anna", "first edit", "{}", null, CancellationToken.None);
        Assert.That(await versions.AddAsync(1, T0, "bob", "edit of a stale page", "{}", null, CancellationToken.None), Is.Null, "bob saw version 1, the newest is 2");
        Assert.That(await versions.LatestVersionAsync(CancellationToken.None), Is.EqualTo(2));

        // Ten saves at once (as from several instances): each that succeeds has a number of its own, none is lost silently.
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => versions.AddAsync(null, T0, $"u{i}", "race", "{}", null, CancellationToken.None))));
        var saved = results.Where(r => r is not null).Select(r => r!.Value).ToList();
        Assert.That(saved, Is.Unique);
        Assert.That(saved, Is.Not.Empty);
        Assert.That(await versions.LatestVersionAsync(CancellationToken.None), Is.EqualTo(2 + saved.Count));
    }
}

/// <summary>The user changes of the /users page: another role, removal with the user's tokens.</summary>
public abstract partial class StoreContract
{
    [Test]
    public async Task A_user_changes_role_and_a_removed_user_loses_its_tokens()
    {
        var users = Users;
        await users.AddAsync(User("kim"), CancellationToken.None);
        await users.AddTokenAsync("kim", "token-hash-kim", T0, CancellationToken.None);
        Assert.That(await users.SetRoleAsync("kim", Core.Security.HubRoles.Operator, CancellationToken.None), Is.True);
        Assert.That((await users.FindAsync("kim", CancellationToken.None))!.Role, Is.EqualTo(Core.Security.HubRoles.Operator));
        Assert.That(await users.SetRoleAsync("nobody", Core.Security.HubRoles.Admin, CancellationToken.None), Is.False);
        Assert.That(await users.RemoveAsync("kim", CancellationToken.None), Is.True);
        Assert.That(await users.FindAsync("kim", CancellationToken.None), Is.Null);
        Assert.That(await users.FindByTokenAsync("token-hash-kim", CancellationToken.None), Is.Null, "a removed user's token stops working");
        Assert.That(await users.RemoveAsync("kim", CancellationToken.None), Is.False);
    }
}

using System.Globalization;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub users add|list|reset|token`: the admin web's local users, in the message store. A password is read from the
/// environment variable HUB_USER_PASSWORD or the first line of standard input, never from an argument (which
/// `ps` and the shell history would show).
/// </summary>
internal sealed class UsersVerb : ICliVerb
{
    public const string PasswordVariable = "HUB_USER_PASSWORD";

    public string Name => "users";

    public string Usage => "users add NAME --role R [--token] | list | reset NAME | token NAME   admin web users (password from stdin or HUB_USER_PASSWORD)";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        var parsed = CliArgs.Parse(rest, ["--role"], ["--token"]);
        if (parsed.Error is { } error)
        {
            throw new UsageException(error);
        }
        var (command, names) = parsed.Files.Count == 0 ? ("", new List<string>()) : (parsed.Files[0], parsed.Files[1..]);
        var needsName = command is "add" or "reset" or "token";
        if (command is not ("add" or "list" or "reset" or "token"))
        {
            throw new UsageException(command.Length == 0 ? "say what to do: add, list, reset or token." : $"'{command}' is not add, list, reset or token.");
        }
        if (needsName != (names.Count == 1))
        {
            throw new UsageException(needsName ? $"'users {command}' takes one user name." : "'users list' takes no name.");
        }
        var role = parsed.Value("--role");
        if (command == "add" && (role is null || !HubRoles.IsKnown(role)))
        {
            throw new UsageException(role is null ? "--role is required." : $"--role '{role}' is unknown: use one of {string.Join(", ", HubRoles.All)}.");
        }

        await using var services = HubServices.BuildForCli(configuration);
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var accounts = services.GetRequiredService<UserAccounts>();
        var actor = $"cli:{Environment.UserName}";
        return command switch
        {
            "list" => await ListAsync(accounts, context, cancellationToken),
            "add" => await AddAsync(accounts, names[0], role!, parsed.Flag("--token"), actor, context, cancellationToken),
            "reset" => await ResetAsync(accounts, names[0], actor, context, cancellationToken),
            _ => await TokenAsync(accounts, names[0], actor, context, cancellationToken),
        };
    }

    private static async Task<int> ListAsync(UserAccounts accounts, CliContext context, CancellationToken cancellationToken)
    {
        var now = accounts.Time.GetUtcNow();
        foreach (var user in await accounts.Users.ListAsync(cancellationToken))
        {
            var state = user.LockedUntil is { } until && until > now ? $"locked until {until:u}" : "active";
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{user.Name,-20} {user.Role,-9} created {user.CreatedAt:u}  {state}"));
        }
        return 0;
    }

    private static async Task<int> AddAsync(UserAccounts accounts, string name, string role, bool token, string actor, CliContext context, CancellationToken cancellationToken)
    {
        if (name.Length > 100 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            context.Error.WriteLine($"hub users: user name '{name}' has spaces or control characters: use letters, digits, '.', '-' or '_'.");
            return 1;
        }
        var password = ReadPassword(allowNone: token);
        if (password is { Length: < UserAccounts.MinimumPasswordLength })
        {
            context.Error.WriteLine(PasswordProblem(password));
            return password.Length == 0 ? 2 : 1;
        }
        var hash = password is null ? UserAccounts.NoPassword() : UserAccounts.HashPassword(password);
        if (!await accounts.Users.AddAsync(new HubUser(name, role, hash, 0, null, accounts.Time.GetUtcNow()), cancellationToken))
        {
            context.Error.WriteLine($"hub users: user '{name}' exists already: choose another name, or 'hub users reset {name}' for a new password.");
            return 1;
        }
        await accounts.Audit.AddAsync(accounts.Time.GetUtcNow(), actor, null, "user-added", $"user '{name}' with role {role}", cancellationToken);
        context.Out.WriteLine(password is null ? $"added {name} ({role}), API token only: no web login" : $"added {name} ({role})");
        if (token)
        {
            await WriteTokenAsync(accounts, name, actor, context, cancellationToken);
        }
        return 0;
    }

    private static async Task<int> ResetAsync(UserAccounts accounts, string name, string actor, CliContext context, CancellationToken cancellationToken)
    {
        var password = ReadPassword(allowNone: false) ?? "";
        if (password.Length < UserAccounts.MinimumPasswordLength)
        {
            context.Error.WriteLine(PasswordProblem(password));
            return password.Length == 0 ? 2 : 1;
        }
        if (!await accounts.Users.SetPasswordAsync(name, UserAccounts.HashPassword(password), cancellationToken))
        {
            context.Error.WriteLine($"hub users: no user '{name}': see 'hub users list'.");
            return 1;
        }
        await accounts.Audit.AddAsync(accounts.Time.GetUtcNow(), actor, null, "password-reset", $"user '{name}': new password, lock cleared", cancellationToken);
        context.Out.WriteLine($"reset {name}: new password set, failed logins and lock cleared");
        return 0;
    }

    private static async Task<int> TokenAsync(UserAccounts accounts, string name, string actor, CliContext context, CancellationToken cancellationToken)
    {
        if (await accounts.Users.FindAsync(name, cancellationToken) is null)
        {
            context.Error.WriteLine($"hub users: no user '{name}': see 'hub users list'.");
            return 1;
        }
        await WriteTokenAsync(accounts, name, actor, context, cancellationToken);
        return 0;
    }

    private static async Task WriteTokenAsync(UserAccounts accounts, string name, string actor, CliContext context, CancellationToken cancellationToken)
    {
        // Shown once: only its hash is stored, so a lost token is replaced with 'hub users token NAME', never recovered.
        var token = await accounts.IssueTokenAsync(name, actor, null, cancellationToken);
        context.Out.WriteLine($"token (shown once, send as 'Authorization: Bearer TOKEN'): {token}");
    }

    private static string PasswordProblem(string password) => password.Length == 0
        ? $"hub users: no password: pipe it on standard input or set {PasswordVariable} (never as an argument)."
        : $"hub users: the password has {password.Length} characters: use at least {UserAccounts.MinimumPasswordLength}.";

    /// <summary>HUB_USER_PASSWORD, else the first line of a redirected standard input; null when neither gives one and none is needed.</summary>
    private static string? ReadPassword(bool allowNone)
    {
        if (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line) && allowNone ? null : line ?? "";
        }
        return allowNone ? null : "";
    }
}

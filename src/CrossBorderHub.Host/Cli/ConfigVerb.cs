using System.Globalization;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub config export|import|versions`: the partners and routes in the message store (docs/admin.md). Export writes
/// the newest version (the file's when the store has none yet); import checks a file with the start-up validator and
/// saves it as the next version, which running hubs apply on their next poll.
/// </summary>
internal sealed class ConfigVerb : ICliVerb
{
    public string Name => "config";

    public string Usage => "config export [-o OUT] | import FILE [--comment TEXT] | versions   the partners and routes in the store";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        var parsed = CliArgs.Parse(rest, ["-o", "--comment"], []);
        if (parsed.Error is { } error)
        {
            throw new UsageException(error);
        }
        var (command, files) = parsed.Files.Count == 0 ? ("", new List<string>()) : (parsed.Files[0], parsed.Files[1..]);
        switch (command)
        {
            case "export" or "versions" when files.Count > 0:
                throw new UsageException($"'config {command}' takes no file{(command == "export" ? ": write to one with -o OUT" : "")}.");
            case "import" when files.Count != 1:
                throw new UsageException("'config import' takes one file: hub config import FILE.");
            case not ("export" or "import" or "versions"):
                throw new UsageException(command.Length == 0 ? "say what to do: export, import or versions." : $"'{command}' is not export, import or versions.");
        }

        await using var services = HubServices.BuildForCli(configuration);
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var versions = services.GetRequiredService<IConfigurationVersions>();
        return command switch
        {
            "export" => await ExportAsync(versions, configuration, parsed.Value("-o"), context, cancellationToken),
            "versions" => await ListAsync(versions, context, cancellationToken),
            _ => await ImportAsync(services.GetRequiredService<CurrentConfiguration>(), files[0], parsed.Value("--comment"), context, cancellationToken),
        };
    }

    private static async Task<int> ExportAsync(IConfigurationVersions versions, IConfiguration configuration, string? output, CliContext context, CancellationToken cancellationToken)
    {
        var text = (await versions.GetAsync(null, cancellationToken))?.Json ?? ConfigurationDocument.Text(ConfigurationDocument.FromFileOrEmpty(configuration));
        if (output is null)
        {
            context.Out.WriteLine(text);
            return 0;
        }
        try
        {
            // It holds the channels' passwords as the store does: readable by its owner only, where the system allows.
            await File.WriteAllTextAsync(output, text + "\n", cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            context.Error.WriteLine($"hub config export: cannot write '{output}' ({ex.Message}): choose a folder you can write.");
            return 2;
        }
        return 0;
    }

    private static async Task<int> ListAsync(IConfigurationVersions versions, CliContext context, CancellationToken cancellationToken)
    {
        foreach (var version in await versions.ListAsync(cancellationToken))
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{version.Version,5}  {version.SavedAt:u}  {version.User,-20} {version.Comment}"));
        }
        return 0;
    }

    private static async Task<int> ImportAsync(CurrentConfiguration current, string file, string? comment, CliContext context, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            context.Error.WriteLine($"hub config import: cannot read '{file}' ({ex.Message}): check the path.");
            return 2;
        }
        var (document, problem) = ConfigurationDocument.Parse(text);
        if (document is null)
        {
            context.Error.WriteLine($"hub config import: {file}: {problem}");
            return 1;
        }
        // Seeds an empty store from hub.json first, so the history shows what the import replaced.
        await current.StartAsync(cancellationToken);
        var saved = await current.SaveAsync(document, $"cli:{Environment.UserName}", null, comment ?? $"imported from {Path.GetFileName(file)}", null, cancellationToken);
        if (saved.Version is not { } version)
        {
            foreach (var line in saved.Errors)
            {
                context.Error.WriteLine($"hub config import: {file}: {line}");
            }
            return 1;
        }
        context.Out.WriteLine($"configuration version {version} saved ({saved.Diff?.Count ?? 0} changed line(s)); running hubs apply it on their next poll.");
        return 0;
    }
}

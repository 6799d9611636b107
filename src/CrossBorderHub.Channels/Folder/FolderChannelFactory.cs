using CrossBorderHub.Core.Channels;
using Microsoft.Extensions.Configuration;

namespace CrossBorderHub.Channels.Folder;

/// <summary>Type = "folder": a local or mounted folder.</summary>
public sealed class FolderChannelFactory : IChannelFactory
{
    public string Type => "folder";

    public void Validate(ChannelSettings settings, ICollection<string> errors)
    {
        var options = Bind(settings);
        var path = settings.Section.Path;
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{path}:Path is empty: set it to the folder to use (relative paths resolve against Hub:DataRoot).");
            return;
        }
        string full;
        try
        {
            full = settings.Context.ResolvePath(options.Path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add($"{path}:Path '{options.Path}' is not a valid path ({ex.Message}): give a folder path.");
            return;
        }
        if (File.Exists(full))
        {
            errors.Add($"{path}:Path '{full}' is a file, not a folder: point it at a folder.");
            return;
        }
        try
        {
            // An unusable folder must stop start-up, not fail on the first poll: create it and prove we can write there.
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".hub-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}:Path '{full}' cannot be created or written ({ex.Message}): fix its permissions or choose another folder.");
        }
        if (options.MinimumAge < TimeSpan.Zero)
        {
            errors.Add($"{path}:MinimumAge is negative: use a duration such as 00:00:01.");
        }
        if (options.StableInterval < TimeSpan.Zero)
        {
            errors.Add($"{path}:StableInterval is negative: use a duration such as 00:00:02.");
        }
        PickupRules.Validate(path, options.IgnorePatterns, options.ReadyMarker, errors);
    }

    public IInboundChannel CreateInbound(ChannelSettings settings) => new FolderInboundChannel(settings, Bind(settings));

    public IOutboundChannel CreateOutbound(ChannelSettings settings) => new FolderOutboundChannel(settings, Bind(settings));

    private static FolderChannelOptions Bind(ChannelSettings settings) =>
        settings.Section.Get<FolderChannelOptions>() ?? new FolderChannelOptions();
}

using System.Collections;
using System.Reflection;
using CrossBorderHub.Channels.As2;
using CrossBorderHub.Channels.Folder;
using CrossBorderHub.Channels.Ftp;
using CrossBorderHub.Channels.RabbitMq;
using CrossBorderHub.Channels.Sftp;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// Every key under Hub must be one the hub reads: the binder ignores the rest, so a typo such as <c>Sgn</c> for
/// <c>Sign</c> would silently leave a route unsigned. The valid keys come from the options classes by reflection, so a
/// new option is covered without touching this check; only the raw-read Hub:As2 keys need a list.
/// </summary>
internal sealed class ConfigurationKeyCheck(IConfiguration configuration) : IStartupCheck
{
    /// <summary>Hub:As2 is read key by key (As2ReceiverConfiguration, RunVerb, As2Endpoint), not bound to a class.</summary>
    private static readonly string[] As2Keys = ["Id", "AdditionalIds", "Url", "MaxBodyBytes", "TlsCertificate", "TlsPrivateKey", "TlsCertificatePassword"];

    /// <summary>Keys every channel section has, whatever its Type (ChannelRegistry, the poll scheduler).</summary>
    private static readonly string[] ChannelKeys = ["Type", "Schedule"];

    private static readonly Dictionary<string, Type[]> ChannelOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["folder"] = [typeof(FolderChannelOptions)],
        ["sftp"] = [typeof(SftpChannelOptions)],
        ["ftp"] = [typeof(FtpChannelOptions)],
        ["rabbitmq"] = [typeof(RabbitMqChannelOptions)],
        // One as2 section is inbound or outbound depending on where it sits; either class's keys are valid.
        ["as2"] = [typeof(As2InboundOptions), typeof(As2OutboundOptions)],
        ["inmemory"] = [],
    };

    private static readonly Dictionary<string, string[]> ChannelExtraKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["inmemory"] = ["Queue"],
    };

    public void Check(HubOptions options, ICollection<string> errors)
    {
        foreach (var child in configuration.GetSection(HubOptions.SectionName).GetChildren())
        {
            if (string.Equals(child.Key, "As2", StringComparison.OrdinalIgnoreCase))
            {
                CheckKeys(child, As2Keys, errors);
                continue;
            }
            CheckChild(child, typeof(HubOptions), errors);
        }
    }

    private static void CheckObject(IConfigurationSection section, Type type, ICollection<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            CheckChild(child, type, errors);
        }
    }

    private static void CheckChild(IConfigurationSection child, Type type, ICollection<string> errors)
    {
        var property = Properties(type).FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            errors.Add(Unknown(child, Properties(type).Select(p => p.Name)));
            return;
        }
        CheckValue(child, property.PropertyType, errors);
    }

    private static void CheckValue(IConfigurationSection section, Type type, ICollection<string> errors)
    {
        if (type == typeof(IConfigurationSection))
        {
            CheckChannel(section, errors);
        }
        else if (ElementType(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, errors);
            }
        }
        else if (IsObject(type))
        {
            CheckObject(section, type, errors);
        }
    }

    private static void CheckChannel(IConfigurationSection section, ICollection<string> errors)
    {
        // An unknown or missing Type is ChannelRegistry's error; the keys cannot be judged without it.
        if (section["Type"] is not { } channelType || !ChannelOptions.TryGetValue(channelType, out var types))
        {
            return;
        }
        var valid = ChannelKeys.Concat(ChannelExtraKeys.GetValueOrDefault(channelType) ?? [])
            .Concat(types.SelectMany(t => Properties(t).Select(p => p.Name))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var child in section.GetChildren())
        {
            if (valid.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var property = types.SelectMany(Properties).FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
                if (property is not null)
                {
                    CheckValue(child, property.PropertyType, errors);
                }
                continue;
            }
            errors.Add(Unknown(child, valid));
        }
    }

    private static void CheckKeys(IConfigurationSection section, IReadOnlyList<string> valid, ICollection<string> errors)
    {
        foreach (var child in section.GetChildren().Where(c => !valid.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(Unknown(child, valid));
        }
    }

    private static string Unknown(IConfigurationSection child, IEnumerable<string> valid)
    {
        var names = valid.ToList();
        var nearest = KeySuggestion.Nearest(child.Key, names);
        return nearest is null
            ? $"{child.Path} is not a setting the hub knows: remove it, or use one of {string.Join(", ", names)}."
            : $"{child.Path} is not a setting the hub knows: did you mean {nearest}?";
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    /// <summary>Element type of a list, array or string-keyed dictionary; null for anything else.</summary>
    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return type.GetGenericArguments().Last();
        }
        return null;
    }

    private static bool IsObject(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);
}

/// <summary>The valid key nearest to a mistyped one (Levenshtein distance, case-insensitive), when it is close enough.</summary>
internal static class KeySuggestion
{
    public static string? Nearest(string key, IEnumerable<string> valid)
    {
        var best = valid.Select(v => (Name: v, Distance: Distance(key.ToUpperInvariant(), v.ToUpperInvariant())))
            .OrderBy(c => c.Distance).FirstOrDefault();
        // Two edits, or a third of the word for long names: beyond that the "suggestion" is a guess that misleads.
        return best.Name is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Name : null;
    }

    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}

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
/// <remarks>The same walk checks each value against its property's type (<see cref="ConfigurationValueCheck"/>).</remarks>
internal sealed class ConfigurationKeyCheck(IConfiguration configuration) : IStartupCheck
{
    /// <summary>Hub:As2 is read key by key (As2ReceiverConfiguration, RunVerb, As2Endpoint), not bound to a class.</summary>
    private static readonly string[] As2Keys = ["Id", "AdditionalIds", "Url", "MaxBodyBytes", "SeenRetention", "TlsCertificate", "TlsPrivateKey", "TlsCertificatePassword"];

    /// <summary>The Hub:As2 keys that are not text (As2ReceiverConfiguration reads them with GetValue).</summary>
    private static readonly (string Key, Type Type)[] As2TypedKeys = [("MaxBodyBytes", typeof(long)), ("SeenRetention", typeof(TimeSpan))];

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

    public void Check(HubOptions options, ICollection<string> errors) => Walk(configuration, new ConfigurationFindings(errors));

    /// <summary>
    /// The paths whose values the binder cannot convert (Port "abc", an unknown enum name). Binding a configuration
    /// without them cannot throw, so start-up goes on to list every other error with them rather than stop at the first.
    /// </summary>
    public static IReadOnlyCollection<string> UnreadableValues(IConfiguration configuration)
    {
        var findings = new ConfigurationFindings([]);
        Walk(configuration, findings);
        return findings.UnreadableValues;
    }

    private static void Walk(IConfiguration configuration, ConfigurationFindings findings)
    {
        foreach (var child in configuration.GetSection(HubOptions.SectionName).GetChildren())
        {
            if (string.Equals(child.Key, "As2", StringComparison.OrdinalIgnoreCase))
            {
                CheckKeys(child, As2Keys, findings);
                CheckAs2Values(child, findings);
                continue;
            }
            CheckChild(child, typeof(HubOptions), findings);
        }
    }

    private static void CheckObject(IConfigurationSection section, Type type, ConfigurationFindings findings)
    {
        foreach (var child in section.GetChildren())
        {
            CheckChild(child, type, findings);
        }
    }

    private static void CheckChild(IConfigurationSection child, Type type, ConfigurationFindings findings)
    {
        var property = Properties(type).FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            findings.Errors.Add(Unknown(child, Properties(type).Select(p => p.Name)));
            return;
        }
        CheckValue(child, property.PropertyType, findings);
    }

    private static void CheckValue(IConfigurationSection section, Type type, ConfigurationFindings findings)
    {
        if (type == typeof(IConfigurationSection))
        {
            CheckChannel(section, findings);
        }
        else if (ElementType(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, findings);
            }
        }
        else if (IsObject(type))
        {
            CheckObject(section, type, findings);
        }
        else
        {
            ConfigurationValueCheck.Check(section, type, findings);
        }
    }

    private static void CheckAs2Values(IConfigurationSection as2, ConfigurationFindings findings)
    {
        foreach (var (key, type) in As2TypedKeys)
        {
            ConfigurationValueCheck.Check(as2.GetSection(key), type, findings);
        }
    }

    private static void CheckChannel(IConfigurationSection section, ConfigurationFindings findings)
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
                    CheckValue(child, property.PropertyType, findings);
                }
                continue;
            }
            findings.Errors.Add(Unknown(child, valid));
        }
    }

    private static void CheckKeys(IConfigurationSection section, IReadOnlyList<string> valid, ConfigurationFindings findings)
    {
        foreach (var child in section.GetChildren().Where(c => !valid.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            findings.Errors.Add(Unknown(child, valid));
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

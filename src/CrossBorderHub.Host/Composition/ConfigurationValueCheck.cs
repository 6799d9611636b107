using System.ComponentModel;
using System.Globalization;

namespace CrossBorderHub.Host.Composition;

/// <summary>What the configuration walk found: errors to list, and the values the binder would throw on.</summary>
internal sealed class ConfigurationFindings(ICollection<string> errors)
{
    public ICollection<string> Errors { get; } = errors;

    public HashSet<string> UnreadableValues { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Checks one configuration value against the type of the option it binds to, converting it as the binder does
/// (the type's TypeConverter, invariant culture), so that what passes here never throws when bound. The error names
/// the full key path, the value, what was expected and an example.
/// </summary>
internal static class ConfigurationValueCheck
{
    public static void Check(IConfigurationSection section, Type type, ConfigurationFindings findings)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (section.Value is not { } value || target == typeof(string) || target == typeof(object))
        {
            return;
        }
        // The binder maps an empty value to null for a nullable option.
        if (target != type && value.Length == 0)
        {
            return;
        }
        if (Converts(value, target))
        {
            return;
        }
        findings.UnreadableValues.Add(section.Path);
        findings.Errors.Add($"{section.Path} is '{Shown(value)}', which is not {Expected(target)}: set {Example(target)}.");
    }

    private static bool Converts(string value, Type type)
    {
        try
        {
            var converter = TypeDescriptor.GetConverter(type);
            if (!converter.CanConvertFrom(typeof(string)))
            {
                return true; // not a scalar the binder converts: a nested section, judged by its own keys
            }
            converter.ConvertFromInvariantString(value);
            // EnumConverter takes any number ("7") and the binder keeps it: only a defined value means something.
            return !type.IsEnum || value.Split(',').All(part => Enum.GetNames(type).Contains(part.Trim(), StringComparer.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException
                                   || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type) => type switch
    {
        _ when type.IsEnum => $"a valid {type.Name}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong) || type == typeof(byte) =>
            $"a whole number ({type.Name}, {Range(type)})",
        _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
        _ when type == typeof(Uri) => "a URL",
        _ => $"a {type.Name}",
    };

    private static string Example(Type type) => type switch
    {
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "hh:mm:ss or d.hh:mm:ss, such as 00:00:05 (five seconds) or 1.00:00:00 (a day)",
        _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "digits with a '.' for decimals, such as 1.5",
        _ when type == typeof(Uri) => "an absolute URL such as http://127.0.0.1:8080",
        _ => "digits only, such as 22, without quotes or units",
    };

    private static string Range(Type type) => type == typeof(int) ? "up to 2147483647"
        : type == typeof(short) ? "up to 32767"
        : type == typeof(byte) ? "0 to 255"
        : "up to " + Convert.ToString(type.GetField("MaxValue")?.GetValue(null), CultureInfo.InvariantCulture);

    /// <summary>A value from a config file may hold control characters: never put them raw into the error line.</summary>
    private static string Shown(string value)
    {
        var printable = string.Concat(value.Select(c => char.IsControl(c) ? '?' : c));
        return printable.Length > 80 ? printable[..80] + "..." : printable;
    }
}

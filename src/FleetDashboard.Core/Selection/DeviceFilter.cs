using System.Globalization;
using System.Text.RegularExpressions;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Core.Selection;

/// <summary>The columns of an application's device list that a filter can look at.</summary>
public enum DeviceColumn { Status, Name, Uuid, DeviceType, HostOs, Agent, Release, LastSeen, IpAddress, PublicUrl, Tag }

public enum FilterOperator { Is, Contains, IsBefore, MatchesRegex }

/// <summary>
/// One condition on the device list: a column (or a tag, by name), an operator that fits the column's type,
/// and a value. Filters are ANDed. Build one with <see cref="Create"/>, which refuses what cannot work.
/// </summary>
public sealed record DeviceFilter
{
    /// <summary>
    /// The engine is non-backtracking, so a match takes time linear in its input; the limit only guards the
    /// unforeseen, and is generous because the engine builds its automaton on first use (slow on a busy machine).
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    public DeviceColumn Column { get; }
    public FilterOperator Operator { get; }
    public string Value { get; }

    /// <summary>The tag's name when <see cref="Column"/> is <see cref="DeviceColumn.Tag"/>.</summary>
    public string? TagName { get; }

    private readonly Regex? _regex;
    private readonly FleetVersion? _version;
    private readonly DateTimeOffset? _instant;

    /// <summary>The value read as a version, for the version columns.</summary>
    public FleetVersion? Version => _version;

    /// <summary>The value read as an instant, for "last seen is before".</summary>
    public DateTimeOffset? Instant => _instant;

    /// <summary>The value read as a status, for the status column.</summary>
    public DeviceStatus? Status => Column == DeviceColumn.Status ? StatusNamed(Value) : null;

    /// <summary>The value read as on/off, for the public URL column.</summary>
    public bool? On => Column == DeviceColumn.PublicUrl ? bool.Parse(Value) : null;

    private DeviceFilter(DeviceColumn column, FilterOperator op, string value, string? tagName, Regex? regex,
        FleetVersion? version, DateTimeOffset? instant)
    {
        (Column, Operator, Value, TagName, _regex, _version, _instant) = (column, op, value, tagName, regex, version, instant);
    }

    /// <summary>The operators that fit a column.</summary>
    public static IReadOnlyList<FilterOperator> OperatorsFor(DeviceColumn column) => column switch
    {
        DeviceColumn.Status or DeviceColumn.PublicUrl => [FilterOperator.Is],
        DeviceColumn.HostOs or DeviceColumn.Agent => [FilterOperator.Is, FilterOperator.IsBefore],
        DeviceColumn.LastSeen => [FilterOperator.IsBefore],
        _ => [FilterOperator.Is, FilterOperator.Contains, FilterOperator.MatchesRegex],
    };

    /// <summary>Builds a filter, or throws <see cref="FleetDomainException"/> saying what is wrong with it.</summary>
    public static DeviceFilter Create(DeviceColumn column, FilterOperator op, string? value, string? tagName = null)
    {
        value ??= "";
        if (column == DeviceColumn.Tag && TagRules.Problem(tagName, null) is { } tagProblem)
            throw new FleetDomainException(tagProblem);
        if (!OperatorsFor(column).Contains(op))
            throw new FleetDomainException($"\"{Label(op)}\" does not fit the {Label(column)} column.");

        Regex? regex = null;
        FleetVersion? version = null;
        DateTimeOffset? instant = null;
        switch (op)
        {
            case FilterOperator.MatchesRegex:
                // Non-backtracking: an operator's pattern runs in linear time, so no pattern can stall the server.
                try { regex = new Regex(value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout); }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    throw new FleetDomainException($"\"{value}\" is not a regular expression this list can use: {e.Message}");
                }
                break;
            case FilterOperator.IsBefore when column == DeviceColumn.LastSeen:
                instant = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at
                    : throw new FleetDomainException($"\"{value}\" is not a date.");
                break;
            case FilterOperator.IsBefore:
            case FilterOperator.Is when column is DeviceColumn.HostOs or DeviceColumn.Agent:
                version = FleetVersion.Parse(value);
                break;
            case FilterOperator.Is when column == DeviceColumn.Status:
                if (!StatusNamed(value).HasValue) throw new FleetDomainException($"\"{value}\" is not a device status.");
                break;
            case FilterOperator.Is when column == DeviceColumn.PublicUrl:
                if (!bool.TryParse(value, out _)) throw new FleetDomainException("The public URL filter is true or false.");
                break;
        }
        return new DeviceFilter(column, op, value, column == DeviceColumn.Tag ? tagName : null, regex, version, instant);
    }

    public bool Matches(Device device, DeviceStatus status)
    {
        switch (Column)
        {
            case DeviceColumn.Status: return StatusNamed(Value) == status;
            case DeviceColumn.PublicUrl: return device.PublicUrlEnabled == bool.Parse(Value);
            case DeviceColumn.HostOs: return MatchesVersion(device.HostOsVersion);
            case DeviceColumn.Agent: return MatchesVersion(device.AgentVersion);
            case DeviceColumn.LastSeen: return device.LastContactAt is { } last && last < _instant;
            case DeviceColumn.Tag:
                var tag = device.Tags.FirstOrDefault(t => t.Name == TagName);
                // A tag filter with no value asks only that the device carries the tag.
                return tag is not null && (Value.Length == 0 || MatchesText(tag.Value ?? ""));
            default: return MatchesText(TextOf(device));
        }
    }

    private bool MatchesVersion(FleetVersion version) =>
        Operator == FilterOperator.IsBefore ? version < _version!.Value : version == _version!.Value;

    private bool MatchesText(string text) => Operator switch
    {
        FilterOperator.Is => string.Equals(text, Value, StringComparison.OrdinalIgnoreCase),
        FilterOperator.Contains => text.Contains(Value, StringComparison.OrdinalIgnoreCase),
        _ => _regex!.IsMatch(text),
    };

    private string TextOf(Device device) => Column switch
    {
        DeviceColumn.Name => device.Name,
        DeviceColumn.Uuid => device.Uuid,
        DeviceColumn.DeviceType => device.DeviceType,
        DeviceColumn.Release => device.ReleaseCommit ?? "",
        DeviceColumn.IpAddress => device.IpAddresses,
        _ => "",
    };

    private static DeviceStatus? StatusNamed(string value) =>
        Enum.GetValues<DeviceStatus>().Select(s => (DeviceStatus?)s)
            .FirstOrDefault(s => string.Equals(s!.Value.Label(), value, StringComparison.OrdinalIgnoreCase)
                                 || string.Equals(s.Value.ToString(), value, StringComparison.OrdinalIgnoreCase));

    public static string Label(DeviceColumn column) => column switch
    {
        DeviceColumn.Uuid => "UUID",
        DeviceColumn.DeviceType => "device type",
        DeviceColumn.HostOs => "host OS",
        DeviceColumn.LastSeen => "last seen",
        DeviceColumn.IpAddress => "IP address",
        DeviceColumn.PublicUrl => "public URL",
        _ => column.ToString().ToLowerInvariant(),
    };

    public static string Label(FilterOperator op) => op switch
    {
        FilterOperator.Is => "is",
        FilterOperator.Contains => "contains",
        FilterOperator.IsBefore => "is before",
        _ => "matches regex",
    };

    /// <summary>"host OS is before 2.12.0", as chips and the history show it.</summary>
    public override string ToString() =>
        Column == DeviceColumn.Tag && Value.Length == 0 ? $"has tag {TagName}" :
        $"{(Column == DeviceColumn.Tag ? $"tag {TagName}" : Label(Column))} {Label(Operator)} {Value}".TrimEnd();
}

namespace FleetDashboard.Core;

/// <summary>
/// A broken invariant or input that cannot be understood (an unparsable version, an unknown device type).
/// An expected "no" is a <see cref="Actions.Decision"/>, not an exception.
/// </summary>
public sealed class FleetDomainException(string message) : Exception(message);

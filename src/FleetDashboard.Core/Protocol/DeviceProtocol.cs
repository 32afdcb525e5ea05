namespace FleetDashboard.Core.Protocol;

/// <summary>
/// The names both ends of the device connection agree on. A device registers once over HTTP with a
/// provisioning key and receives its own credential; from then on it holds a SignalR connection to
/// <see cref="HubPath"/>, authenticated by that credential alone (bearer token): the server never takes a
/// device's identity from a message.
/// </summary>
public static class DeviceProtocol
{
    /// <summary>Carried in every message that can change shape, so either end can refuse what it does not know.</summary>
    public const int Version = 1;

    public const string HubPath = "/hubs/devices";
    public const string RegisterPath = "/api/devices/register";

    /// <summary>The largest message the server reads from a device; a larger one closes that connection.</summary>
    public const int MaxMessageBytes = 32 * 1024;

    // Device → server (hub methods).

    /// <summary><c>Task Report(DeviceReport report)</c>: the device's state; also counts as a heartbeat.</summary>
    public const string Report = nameof(Report);

    /// <summary><c>Task Heartbeat()</c>: "still here".</summary>
    public const string Heartbeat = nameof(Heartbeat);

    /// <summary><c>Task&lt;TargetState&gt; FetchTargetState()</c>: what the dashboard wants the device to be.</summary>
    public const string FetchTargetState = nameof(FetchTargetState);

    // Server → device.

    /// <summary><c>Task&lt;ActionResult&gt; RunAction(ActionCommand command)</c>: an immediate action; the device answers.</summary>
    public const string RunAction = nameof(RunAction);

    /// <summary><c>Task TargetStateChanged()</c>: a nudge; the device fetches its target state at once.</summary>
    public const string TargetStateChanged = nameof(TargetStateChanged);

    /// <summary>
    /// <c>Task SlowDown(string reason)</c>: the device is over its message limit. Its extra messages are dropped
    /// unanswered (each completes empty), and if it goes on, its connection is cut and it is kept out for a while
    /// (HTTP 429 with Retry-After). Said once per episode; the agent logs the reason.
    /// </summary>
    public const string SlowDown = nameof(SlowDown);

    /// <summary>
    /// <c>Task&lt;PublicUrlResponse&gt; ServePublicUrl(PublicUrlRequest request)</c>: a request to the device's public URL,
    /// for its port 80. The answer carries the status, the headers and the first part of the body.
    /// </summary>
    public const string ServePublicUrl = nameof(ServePublicUrl);

    /// <summary>
    /// <c>Task&lt;byte[]&gt; ReadPublicUrlBody(string requestId)</c>: the next part of an answer's body (at most
    /// <see cref="PublicUrlBodyPartBytes"/>); empty when it is complete. In parts, because every message from a device
    /// stays under <see cref="MaxMessageBytes"/>.
    /// </summary>
    public const string ReadPublicUrlBody = nameof(ReadPublicUrlBody);

    /// <summary>The largest request or answer body a public URL carries.</summary>
    public const int PublicUrlMaxBodyBytes = 1024 * 1024;

    /// <summary>One part of an answer's body: base64 in JSON, with the headers, still well under <see cref="MaxMessageBytes"/>.</summary>
    public const int PublicUrlBodyPartBytes = 12 * 1024;

    /// <summary>The most an answer's headers may weigh (names and values together).</summary>
    public const int PublicUrlMaxHeaderBytes = 8 * 1024;

    /// <summary>How long a public URL request may take from the dashboard to the device and back.</summary>
    public static readonly TimeSpan PublicUrlTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long the server waits for a device's answer to an immediate action.</summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(50);

    /// <summary>The default poll interval; each device randomises it ×0.5–1.5.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(10);
}

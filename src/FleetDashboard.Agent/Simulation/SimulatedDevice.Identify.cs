using FleetDashboard.Core.Protocol;

namespace FleetDashboard.Agent.Simulation;

public sealed partial class SimulatedDevice
{
    /// <summary>How long the LED blinks after "Identify device": long enough to walk to the shelf.</summary>
    public static readonly TimeSpan BlinkTime = TimeSpan.FromSeconds(30);

    private DateTimeOffset _blinkingUntil = DateTimeOffset.MinValue;

    /// <summary>True while the LED blinks for a person looking for the device (only while the device runs).</summary>
    public bool IsBlinking => Read(() => _power == DevicePower.Running && _clock.Now < _blinkingUntil);

    /// <summary>Starts the LED blinking; another identify while it blinks blinks the full time again.</summary>
    private Task<ActionResult> Blink()
    {
        _blinkingUntil = _clock.Now + _options.Scale(BlinkTime);
        return Answer(ActionResult.Succeeded);
    }
}

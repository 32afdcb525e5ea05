namespace FleetDashboard.Bench.Hosting;

/// <summary>
/// The whole machine's CPU time from /proc/stat: busy and all, in seconds summed over the cores. The difference of two
/// readings says how busy the machine was between them, whichever processes used it.
/// </summary>
public readonly record struct MachineCpu(double BusySeconds, double AllSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    public double WallSeconds => AllSeconds / Environment.ProcessorCount;

    public double BusyShare => AllSeconds > 0 ? BusySeconds / AllSeconds : 0;

    public static MachineCpu Read()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the time not used.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var all = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return new MachineCpu((all - idle) / TicksPerSecond, all / TicksPerSecond);
    }

    public static MachineCpu operator -(MachineCpu after, MachineCpu before) =>
        new(after.BusySeconds - before.BusySeconds, after.AllSeconds - before.AllSeconds);
}

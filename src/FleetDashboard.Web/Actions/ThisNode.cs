namespace FleetDashboard.Web.Actions;

/// <summary>
/// This process, named afresh at each start: run targets carry it (a target of a process that is gone can no longer
/// be answered), and in a cluster it names the node's heartbeat, lease and relayed feed. Its own singleton so that
/// the lease, which run deadlines ask, does not need run deadlines to know its name.
/// </summary>
public sealed class ThisNode
{
    public string BootId { get; } = Guid.NewGuid().ToString("N");
}

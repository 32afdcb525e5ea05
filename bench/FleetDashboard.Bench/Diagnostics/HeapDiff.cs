using Microsoft.Diagnostics.Runtime;

namespace FleetDashboard.Bench.Diagnostics;

/// <summary>
/// `heap AFTER [BEFORE N] [--top K]`: what a server's heap holds, grouped by type, read from a dump (createdump, as B7
/// takes them with FLEET_BENCH_DUMP) with ClrMD. With a second dump and a count, the difference per type divided by N:
/// what each of the N circuits (or connections) opened between the two dumps holds. Only objects reachable from a root
/// are counted, so garbage not yet collected does not show. Beside the types, "component X" rows: how many components
/// of type X are live and, as their bytes, the render tree frames they keep.
/// </summary>
public static class HeapDiff
{
    public static int Run(string[] args)
    {
        var top = Array.IndexOf(args, "--top") is var t and >= 0 ? int.Parse(args[t + 1]) : 40;
        var files = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i] != "--top")).ToArray();
        var after = Types(files[0]);
        var (before, n) = files.Length >= 3 ? (Types(files[1]), int.Parse(files[2])) : (new Dictionary<string, (long Count, long Bytes)>(), 1);

        var rows = after.Keys.Union(before.Keys)
            .Select(type =>
            {
                var a = after.GetValueOrDefault(type);
                var b = before.GetValueOrDefault(type);
                return (Type: type, Count: (a.Count - b.Count) / (double)n, Bytes: (a.Bytes - b.Bytes) / (double)n);
            })
            .OrderByDescending(r => Math.Abs(r.Bytes))
            .ToList();
        Console.WriteLine($"{(n == 1 ? "total" : $"per one of {n}"),14} {"bytes",12} {"objects",10}  type");
        Console.WriteLine($"{"",14} {rows.Sum(r => r.Bytes),12:N0} {rows.Sum(r => r.Count),10:N1}  (all)");
        foreach (var r in rows.Take(top)) Console.WriteLine($"{"",14} {r.Bytes,12:N0} {r.Count,10:N1}  {r.Type}");
        return 0;
    }

    private static Dictionary<string, (long Count, long Bytes)> Types(string dump)
    {
        using var target = DataTarget.LoadDump(dump);
        // The dump is of a server this machine ran on this runtime: its own DAC reads it (ClrMD would look for one
        // online). createdump's dump does not say the runtime's version (ClrMD reads 0.0), hence no version check.
        var dac = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
        using var runtime = target.ClrVersions.Single().CreateRuntime(dac, ignoreMismatch: true);
        var heap = runtime.Heap;
        var live = Live(heap);
        var types = new Dictionary<string, (long Count, long Bytes)>();
        foreach (var obj in heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.IsFree || !live.Contains(obj.Address)) continue;
            var name = obj.Type?.Name ?? "?";
            var (count, bytes) = types.GetValueOrDefault(name);
            types[name] = (count + 1, bytes + (long)obj.Size);
            if (name.EndsWith(".ComponentState", StringComparison.Ordinal) || name.EndsWith(".RemoteComponentState", StringComparison.Ordinal))
            {
                // A component and the render trees it keeps (this render's and the last one's, to diff against).
                var component = $"component {obj.ReadObjectField("<Component>k__BackingField").Type?.Name}";
                var (components, frames) = types.GetValueOrDefault(component);
                types[component] = (components + 1, frames + RenderTreeBytes(obj));
            }
        }
        Console.Error.WriteLine($"{dump}: {live.Count:N0} live objects");
        return types;
    }

    /// <summary>The frame arrays a component state holds: state → render tree builder → its frame array builder → the array.</summary>
    private static long RenderTreeBytes(ClrObject state)
    {
        long bytes = 0;
        foreach (var builder in state.EnumerateReferences())
        {
            if (builder.Type?.Name != "Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder") continue;
            foreach (var entries in builder.EnumerateReferences())
            {
                if (entries.Type?.Name?.EndsWith("RenderTreeFrameArrayBuilder", StringComparison.Ordinal) != true) continue;
                foreach (var array in entries.EnumerateReferences())
                    if (array.Type?.Name?.EndsWith("RenderTreeFrame[]", StringComparison.Ordinal) == true) bytes += (long)array.Size;
            }
        }
        return bytes;
    }

    /// <summary>Every object reachable from a root: a mark from the roots, as the GC would.</summary>
    private static HashSet<ulong> Live(ClrHeap heap)
    {
        var live = new HashSet<ulong>();
        var stack = new Stack<ulong>();
        foreach (var root in heap.EnumerateRoots()) stack.Push(root.Object.Address);
        while (stack.Count > 0)
        {
            var address = stack.Pop();
            if (address == 0 || !live.Add(address)) continue;
            var obj = heap.GetObject(address);
            if (!obj.IsValid) continue;
            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: true)) stack.Push(reference);
        }
        return live;
    }
}

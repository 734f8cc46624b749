using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Org;
using Crm.Server.Permissions;

namespace Crm.Server.Api.Targets;

/// <summary>
/// What a report is about: the company, an org unit (with everything below it) or one rep; the people whose metrics it
/// adds up (the users of the subtree, admins aside, departed ones included: their results stay), the unit path
/// visibility checks, and the unit whose calendar counts its working days.
/// </summary>
public sealed record ReportScope(string Kind, string? Id, string Path, IReadOnlyList<string> People, string? CalendarUnitId)
{
    public const string Company = "company";
    public const string OrgUnit = "orgUnit";
    public const string Rep = "rep";

    public static bool IsKind(string? kind) => kind is Company or OrgUnit or Rep;

    /// <summary>An admin sees every scope, a manager its unit's subtree (not the company), a rep itself only.</summary>
    public bool IsVisibleTo(Visibility caller) => caller.Role switch
    {
        UserRole.Admin => true,
        UserRole.Manager => Kind != Company && OrgPaths.Reaches(caller.UnitPath, Path),
        _ => Kind == Rep && Id == caller.UserId,
    };
}

/// <summary>Resolves scopes, and the scopes right below one, from the silo's copy of the org tree.</summary>
public sealed class ReportScopes(OrgTreeCache tree, CalendarDirectory calendars)
{
    public async Task<ReportScope?> ResolveAsync(string kind, string? id)
    {
        var snapshot = await tree.SnapshotAsync();
        switch (kind)
        {
            case ReportScope.Company:
                return new ReportScope(kind, null, OrgPaths.Root, PeopleUnder(snapshot, OrgPaths.Root), null);
            case ReportScope.OrgUnit when id is not null && snapshot.Paths.TryGetValue(id, out var path):
                return new ReportScope(kind, id, path, PeopleUnder(snapshot, path), id);
            case ReportScope.Rep when id is not null && snapshot.Members.TryGetValue(id, out var member) && member.Role != UserRole.Admin:
                return new ReportScope(kind, id, member.OrgUnitPath ?? OrgPaths.Nowhere, [id], member.OrgUnitId);
            default:
                return null;
        }
    }

    /// <summary>The company's top units; a unit's child units and the active reps of the unit itself; nothing below a rep.</summary>
    public async Task<IReadOnlyList<ReportScope>> BelowAsync(ReportScope scope)
    {
        if (scope.Kind == ReportScope.Rep)
        {
            return [];
        }

        var snapshot = await tree.SnapshotAsync();
        var below = new List<ReportScope>();
        foreach (var (unitId, path) in snapshot.Paths.Where(p => IsChildPath(scope.Path, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            below.Add(new ReportScope(ReportScope.OrgUnit, unitId, path, PeopleUnder(snapshot, path), unitId));
        }

        if (scope.Kind == ReportScope.OrgUnit)
        {
            below.AddRange(snapshot.Members.Values
                .Where(m => m is { Active: true, Role: UserRole.Rep } && m.OrgUnitId == scope.Id)
                .OrderBy(m => m.UserId, StringComparer.Ordinal)
                .Select(m => new ReportScope(ReportScope.Rep, m.UserId, m.OrgUnitPath ?? OrgPaths.Nowhere, [m.UserId], m.OrgUnitId)));
        }

        return below;
    }

    /// <summary>The calendar a scope counts working days by (the company: the default calendar).</summary>
    public async Task<WorkCalendar> CalendarOfAsync(ReportScope scope) => (await calendars.ForUnitAsync(scope.CalendarUnitId)).Calendar;

    /// <summary>
    /// The scope's today at <paramref name="now"/>: the latest local date reached in its own calendar or in that of any of
    /// its people. Each rep's figures are dated in the rep's calendar, so a unit behind its reps (UTC above Shanghai) would
    /// otherwise cut off what they have already done today.
    /// </summary>
    public async Task<DateOnly> TodayAsync(ReportScope scope, DateTimeOffset now)
    {
        var today = (await CalendarOfAsync(scope)).LocalDate(now);
        var snapshot = await tree.SnapshotAsync();
        foreach (var unit in scope.People.Select(p => snapshot.Members.GetValueOrDefault(p)?.OrgUnitId).Distinct())
        {
            var local = (await calendars.ForUnitAsync(unit)).Calendar.LocalDate(now);
            today = local > today ? local : today;
        }

        return today;
    }

    private static IReadOnlyList<string> PeopleUnder(OrgTreeSnapshot snapshot, string path) => snapshot.Members.Values
        .Where(m => m.Role != UserRole.Admin && m.OrgUnitPath is not null && m.OrgUnitPath.StartsWith(path, StringComparison.Ordinal))
        .Select(m => m.UserId)
        .ToList();

    // Paths are '/a/b/': a child of '/a/' is '/a/x/'.
    private static bool IsChildPath(string parent, string path) =>
        path.Length > parent.Length && path.StartsWith(parent, StringComparison.Ordinal) && path.IndexOf('/', parent.Length) == path.Length - 1;
}

using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Sequences;
using Crm.Server.Api.Common;
using Crm.Server.Api.Tasks;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Sequences;

/// <summary>Nurturing sequences (docs/tasks-and-notifications.md): definitions, enrolments, the rep's steps.</summary>
public static class SequencesApi
{
    public const int MaxSteps = 20;
    public const int MaxDay = 365;
    public const int MaxEnrolment = 1000;
    public const int MaxTemplate = 4000;

    public static IEndpointRouteBuilder MapSequencesApi(this IEndpointRouteBuilder app)
    {
        var sequences = app.MapGroup("/api/sequences").WithTags("Sequences").RequireAuthorization();
        sequences.MapPost("/", Create);
        sequences.MapGet("/{id}", Get);
        sequences.MapPost("/{id}/enrolments", Enrol);
        sequences.MapDelete("/{id}/enrolments/{customerId:guid}", Unenrol);
        sequences.MapPost("/{id}/enrolments/{customerId:guid}/steps/{index:int}/done", CompleteStep);
        app.MapGroup("/api/reps").WithTags("Sequences").RequireAuthorization().MapGet("/{id}/sequence-steps", RepSteps);
        return app;
    }

    private static async Task<Results<Created<SequenceDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateSequenceRequest request, HttpContext http, SequenceStore store, OrgTreeCache tree, IOptions<SequenceOptions> options, TimeProvider clock)
    {
        // The role first: checking the steps renders each template once, work only a writer of sequences may ask for.
        var actor = http.User.ToActor();
        if (actor.Role == UserRole.Rep)
        {
            return ApiResults.Problem(CrmError.Forbidden("Managers and admins write sequences."));
        }

        var steps = request.Steps ?? [];
        var validation = new Validation().Require(request.Name, "name", 200).MaxLength(request.OrgUnitId, "orgUnitId", 64)
            .Check(steps.Count is >= 1 and <= MaxSteps, "steps", $"Give 1 to {MaxSteps} steps.");
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            validation.Check(step.Day is >= 0 and <= MaxDay, $"steps[{i}].day", $"'day' must be between 0 and {MaxDay} (working days after enrolment).")
                .Check(i == 0 || step.Day is null || steps[i - 1].Day is null || step.Day > steps[i - 1].Day, $"steps[{i}].day", "Days must increase from step to step.")
                .Check(step.Channel is not null && SequenceChannels.All.Contains(step.Channel), $"steps[{i}].channel",
                    $"'channel' must be one of {string.Join(", ", SequenceChannels.All)}.")
                .Require(step.Template, $"steps[{i}].template", MaxTemplate)
                .Check((step.StopOn ?? []).Count <= 10 && (step.StopOn ?? []).All(o => !string.IsNullOrWhiteSpace(o) && o.Length <= 200),
                    $"steps[{i}].stopOn", "At most 10 outcomes of up to 200 characters.");
            if (!string.IsNullOrWhiteSpace(step.Template) && step.Template.Length <= MaxTemplate)
            {
                var errors = SequenceTemplates.Check(step.Template);
                foreach (var error in errors)
                {
                    validation.Check(false, $"steps[{i}].template", error);
                }

                if (errors.Count == 0 && await SequenceTemplates.TrialErrorAsync(step.Template, i + 1) is { } failure)
                {
                    validation.Check(false, $"steps[{i}].template", $"The template fails when rendered for a sample customer: {failure}");
                }
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var unitId = request.OrgUnitId ?? actor.OrgUnitId;
        var path = unitId is null ? null : await tree.PathOf(unitId);
        if (request.OrgUnitId is not null && (path is null || (actor.Role != UserRole.Admin && !OrgPaths.Reaches(actor.OrgUnitPath, path))))
        {
            return new Validation().Check(false, "orgUnitId", "No org unit of yours has this id.").ToProblem();
        }

        var stepList = steps.Select(s => new SequenceStep(s.Day!.Value, s.Channel!, s.Template!,
            (s.StopOn ?? []).Select(SequenceProjection.Normalize).Distinct().ToList())).ToList();
        var outcomes = stepList.SelectMany(s => s.StopOn).Concat(options.Value.PositiveOutcomes.Select(SequenceProjection.Normalize)).Distinct().Order().ToList();
        var definition = new SequenceStore.Definition(Guid.NewGuid().ToString("N"), request.Name!.Trim(), unitId, actor.UserId, clock.GetUtcNow(), stepList, outcomes);
        await store.CreateAsync(definition);
        return TypedResults.Created($"/api/sequences/{definition.Id}", ToDto(definition));
    }

    private static async Task<Results<Ok<SequenceDto>, ProblemHttpResult>> Get(string id, HttpContext http, SequenceStore store, OrgTreeCache tree) =>
        await VisibleAsync(id, http, store, tree) is { } definition ? TypedResults.Ok(ToDto(definition)) : ApiResults.NotFound("Sequence", Short(id));

    /// <summary>
    /// Enrols customers the caller sees; each customer's steps are its owner's work, dated by the owner's grain under the
    /// daily cap. Unowned customers, those whose owner does not use the sequence (is outside its unit's subtree) and those
    /// already enrolled are skipped, with the reason.
    /// </summary>
    private static async Task<Results<Ok<EnrolResult>, ValidationProblem, ProblemHttpResult>> Enrol(
        string id, EnrolRequest request, HttpContext http, SequenceStore store, OrgTreeCache tree, TaskQueries customers, IGrainFactory grains,
        IOptions<SequenceOptions> options)
    {
        var ids = request.CustomerIds ?? [];
        var validation = new Validation()
            .Check(ids.Count is >= 1 and <= MaxEnrolment, "customerIds", $"Name 1 to {MaxEnrolment} customers.")
            .Check(ids.Distinct().Count() == ids.Count, "customerIds", "Customer ids must be distinct.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await VisibleAsync(id, http, store, tree) is not { } definition)
        {
            return ApiResults.NotFound("Sequence", Short(id));
        }

        var owners = await customers.VisibleCustomersAsync(ids, http.User.ToVisibility());
        var unknown = ids.Where(c => !owners.ContainsKey(c)).Take(5).ToList();
        if (unknown.Count > 0)
        {
            return new Validation().Check(false, "customerIds", $"Unknown customers, or not yours to see: {string.Join(", ", unknown)}.").ToProblem();
        }

        var skipped = ids.Where(c => owners[c] is null).Select(c => new EnrolSkip(c, "unowned")).ToList();
        var enrolled = 0;
        var sequencePath = definition.OrgUnitId is null ? null : await tree.PathOf(definition.OrgUnitId);
        foreach (var group in ids.Where(c => owners[c] is not null).GroupBy(c => owners[c]!))
        {
            // The steps are the owner's work: an owner who does not use the sequence (outside its unit's subtree) could
            // neither open it nor stop them.
            if (sequencePath is not null && !OrgPaths.Reaches(sequencePath, (await tree.Member(group.Key))?.OrgUnitPath))
            {
                skipped.AddRange(group.Select(c => new EnrolSkip(c, "outside-unit")));
                continue;
            }

            var outcome = await grains.GetGrain<IRepSequenceGrain>(group.Key)
                .Plan(new SequencePlan(definition.Id, definition.Steps, group.ToList(), options.Value.StepsPerRepPerDay));
            enrolled += outcome.Enrolled.Count;
            skipped.AddRange(outcome.AlreadyEnrolled.Select(c => new EnrolSkip(c, "already-enrolled")));
        }

        return TypedResults.Ok(new EnrolResult(enrolled, skipped));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Unenrol(
        string id, Guid customerId, HttpContext http, SequenceStore store, OrgTreeCache tree, TaskQueries customers, TimeProvider clock)
    {
        if (await VisibleAsync(id, http, store, tree) is not { } definition
            || !(await customers.VisibleCustomersAsync([customerId], http.User.ToVisibility())).ContainsKey(customerId))
        {
            return ApiResults.NotFound("Enrolment", $"{Short(id)}/{customerId}");
        }

        return await store.StopAsync(definition.Id, customerId, SequenceStatuses.StopUnenrolled, clock.GetUtcNow())
            ? TypedResults.NoContent()
            : ApiResults.NotFound("Enrolment", $"{definition.Id}/{customerId}");
    }

    private static async Task<Results<Ok<SequenceStepItemDto>, ValidationProblem, ProblemHttpResult>> CompleteStep(
        string id, Guid customerId, int index, CompleteStepRequest request, HttpContext http, SequenceStore store, SequenceQueries queries,
        IGrainFactory grains, TimeProvider clock)
    {
        var validation = new Validation().Require(request.Outcome, "outcome", 200).MaxLength(request.Text, "text", 4000);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var step = id.Length <= 64 && index is >= 0 and < MaxSteps ? await store.StepAsync(id, customerId, index) : null;
        if (step is null || step.RepId != actor.UserId)
        {
            return ApiResults.NotFound("Step", $"{Short(id)}/{customerId}/{index}");
        }

        var done = await grains.GetGrain<IRepSequenceGrain>(step.RepId).CompleteStep(id, customerId, index, request.Outcome!.Trim(), request.Text, actor);
        if (done.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        var page = await queries.RepStepsAsync(actor.UserId, SequenceStatuses.Done, clock.GetUtcNow(), 1, 0, (id, customerId, index));
        return TypedResults.Ok(page.Items.Single());
    }

    /// <summary>A rep's steps: its own for a rep, its reps' for a manager, anyone's for an admin.</summary>
    private static async Task<Results<Ok<Page<SequenceStepItemDto>>, ValidationProblem, ProblemHttpResult>> RepSteps(
        string id, string? status, int? page, int? pageSize, HttpContext http, SequenceQueries queries, UserDirectory users, TimeProvider clock)
    {
        string[] statuses = ["due", SequenceStatuses.Planned, SequenceStatuses.Done, SequenceStatuses.Stopped];
        var validation = new Validation().CheckPaging(page, pageSize)
            .Check(status is null || statuses.Contains(status), "status", $"'status' must be one of {string.Join(", ", statuses)}.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (visibility.Role == UserRole.Rep ? id != visibility.UserId : !await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", Short(id));
        }

        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        return TypedResults.Ok(await queries.RepStepsAsync(id, status ?? "due", clock.GetUtcNow(), limit, offset));
    }

    /// <summary>A sequence of the caller's unit or a unit above it (to use it), or, for a manager, below it; admins see all.</summary>
    private static async Task<SequenceStore.Definition?> VisibleAsync(string id, HttpContext http, SequenceStore store, OrgTreeCache tree)
    {
        if (id.Length is 0 or > 64 || await store.GetAsync(id) is not { } definition)
        {
            return null;
        }

        var actor = http.User.ToActor();
        var path = definition.OrgUnitId is null ? null : await tree.PathOf(definition.OrgUnitId);
        return actor.Role == UserRole.Admin || path is null || OrgPaths.Reaches(path, actor.OrgUnitPath)
               || (actor.Role == UserRole.Manager && OrgPaths.Reaches(actor.OrgUnitPath, path))
            ? definition
            : null;
    }

    private static SequenceDto ToDto(SequenceStore.Definition d) => new(d.Id, d.Name, d.OrgUnitId, d.CreatedBy, d.CreatedAt,
        d.Steps.Select(s => new SequenceStepDto(s.Day, s.Channel, s.Template, s.StopOn)).ToList(), d.StopOutcomes);

    private static string Short(string id) => id.Length > 64 ? id[..64] : id;
}

package io.embedrec.recommendation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.embedrec.common.ConflictProblem;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.NotFoundProblem;
import io.embedrec.common.ProblemException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A/B experiments on the feeds: creation, the running experiment's assignment of users, stop / resume / conclude,
 * and the click-through report by variant (and by strategy outside experiments) with intervals.
 */
@ApplicationScoped
public class Experiments {

    /** The body of {@code POST /v1/experiments}. */
    public record Request(String name, List<Experiment.Variant> variants, String salt) {
    }

    /** A user's arm in the running experiment. */
    record Assignment(String experiment, Experiment.Variant variant) {
    }

    /** One variant's (or strategy's) line of a report. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(String name, Double share, long impressions, Long users, long clicks, long conversions,
                       ExperimentStats.Rate ctr, ExperimentStats.Rate conversionRate,
                       ExperimentStats.Difference ctrVsControl, ExperimentStats.Difference conversionVsControl) {
    }

    /** An experiment's report: each variant against the control (the first). */
    public record Report(String experiment, String status, String control, String winner, double confidence,
                         List<Line> variants) {
    }

    /** Click-through by strategy for the answers logged since a day (UTC). */
    public record StrategyReport(java.time.LocalDate since, double confidence, List<Line> strategies) {
    }

    static final class NotFound extends NotFoundProblem {
        NotFound(String name) {
            super("experiment", "no experiment is named '" + name + "'");
        }
    }

    static final class Conflict extends ConflictProblem {
        Conflict(String detail) {
            super("experiment-conflict", "Experiment is not in a state for this", detail);
        }
    }

    private final ExperimentRepository repository;
    private final RecommendationLog log;
    private final EmbedrecConfig config;
    private final RuleSets ruleSets;

    Experiments(ExperimentRepository repository, RecommendationLog log, EmbedrecConfig config, RuleSets ruleSets) {
        this.repository = repository;
        this.log = log;
        this.config = config;
        this.ruleSets = ruleSets;
    }

    /** The user's variant in the running experiment, if one runs. */
    Optional<Assignment> assign(String userId) {
        return repository.running().map(e -> new Assignment(e.name(), e.assign(userId)));
    }

    @Transactional
    Experiment create(Request body) {
        if (body == null) {
            throw new InvalidInputException("send {\"name\": ..., \"variants\": [{\"name\": \"control\", \"share\": "
                    + "0.5}, {\"name\": \"b\", \"share\": 0.5, \"weights\": ...}]}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (!Experiment.validName(body.name())) {
            errors.add(new FieldError("name", "is required: 1–64 letters, digits, '-', '_' or '.'"));
        }
        errors.addAll(Experiment.problems(body.variants()));
        if (body.salt() != null && (body.salt().isEmpty() || body.salt().length() > 128)) {
            errors.add(new FieldError("salt", "must be 1 to 128 characters"));
        }
        if (errors.isEmpty()) {
            for (int v = 0; v < body.variants().size(); v++) {
                String rules = body.variants().get(v).rules();
                if (rules != null && !rules.equals(RuleSets.NONE) && !ruleSets.exists(rules)) {
                    errors.add(new FieldError("variants[" + v + "].rules", "no rule set is named '" + rules + "'"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() == 1 ? "'" + errors.get(0).field() + "' "
                    + errors.get(0).message() : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        Optional<Experiment> other = repository.running();
        if (other.isPresent()) {
            throw new Conflict("experiment '" + other.get().name() + "' is running; stop or conclude it first (one "
                    + "experiment splits the feeds' users at a time)");
        }
        String salt = body.salt() != null ? body.salt() : UUID.randomUUID().toString();
        if (!repository.insert(body.name(), salt, body.variants())) {
            throw new Conflict("an experiment named '" + body.name() + "' exists; experiments keep their name");
        }
        log.forgetExperiment(body.name()); // counts of a deleted experiment of the same name
        return get(body.name());
    }

    List<Experiment> list() {
        return repository.all();
    }

    Experiment get(String name) {
        return repository.byName(name).orElseThrow(() -> new NotFound(name));
    }

    @Transactional
    Experiment stop(String name) {
        Experiment e = get(name);
        if (!e.status().equals("running")) {
            throw new Conflict("experiment '" + name + "' is " + e.status() + ", not running");
        }
        repository.setStatus(name, Experiment.Status.STOPPED, null);
        return get(name);
    }

    @Transactional
    Experiment resume(String name) {
        Experiment e = get(name);
        if (!e.status().equals("stopped")) {
            throw new Conflict("experiment '" + name + "' is " + e.status() + "; only a stopped one resumes");
        }
        repository.running().ifPresent(r -> {
            throw new Conflict("experiment '" + r.name() + "' is running; stop it first");
        });
        repository.setStatus(name, Experiment.Status.RUNNING, null);
        return get(name);
    }

    /** Ends the experiment for good, naming the variant chosen (its settings are then the team's to roll out). */
    @Transactional
    Experiment conclude(String name, String winner) {
        Experiment e = get(name);
        if (e.status().equals("concluded")) {
            throw new Conflict("experiment '" + name + "' is already concluded");
        }
        if (winner != null && e.variant(winner).isEmpty()) {
            throw new InvalidInputException("winner: experiment '" + name + "' has no variant '" + winner + "'",
                    List.of(new FieldError("winner", "is not one of the experiment's variants")));
        }
        repository.setStatus(name, Experiment.Status.CONCLUDED, winner);
        return get(name);
    }

    @Transactional
    void delete(String name) {
        if (!repository.delete(name)) {
            throw new NotFound(name);
        }
        log.forgetExperiment(name);
    }

    Report report(String name) {
        Experiment e = get(name);
        List<String> clicks = config.merchandising().clickTypes();
        List<String> conversions = config.merchandising().conversionTypes();
        Map<String, RecommendationLog.Counts> counts = new HashMap<>();
        for (RecommendationLog.Counts c : log.byVariant(name, clicks, conversions)) {
            counts.put(c.group(), c);
        }
        RecommendationLog.Counts control = counts.getOrDefault(e.control().name(), empty(e.control().name()));
        List<Line> lines = new ArrayList<>();
        for (Experiment.Variant v : e.variants()) {
            RecommendationLog.Counts c = counts.getOrDefault(v.name(), empty(v.name()));
            boolean isControl = v.name().equals(e.control().name());
            lines.add(line(c, v.share(), isControl ? null : control));
        }
        return new Report(e.name(), e.status(), e.control().name(), e.winner(), ExperimentStats.CONFIDENCE, lines);
    }

    /** The last {@code days} UTC days, today included. */
    StrategyReport strategies(int days) {
        java.time.LocalDate since = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(days - 1L);
        List<Line> lines = log.byStrategy(since, config.merchandising().clickTypes(),
                config.merchandising().conversionTypes()).stream().map(c -> line(c, null, null)).toList();
        return new StrategyReport(since, ExperimentStats.CONFIDENCE, lines);
    }

    private static Line line(RecommendationLog.Counts c, Double share, RecommendationLog.Counts control) {
        return new Line(c.group(), share, c.impressions(), c.users() < 0 ? null : c.users(), c.clicked(),
                c.converted(),
                ExperimentStats.rate(c.clicked(), c.impressions()),
                ExperimentStats.rate(c.converted(), c.impressions()),
                control == null ? null : ExperimentStats.difference(c.clicked(), c.impressions(), control.clicked(),
                        control.impressions()),
                control == null ? null : ExperimentStats.difference(c.converted(), c.impressions(),
                        control.converted(), control.impressions()));
    }

    private static RecommendationLog.Counts empty(String name) {
        return new RecommendationLog.Counts(name, 0, 0, 0, 0);
    }
}

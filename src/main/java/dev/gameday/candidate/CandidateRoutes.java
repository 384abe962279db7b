package dev.gameday.candidate;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Access;
import dev.gameday.web.Access.Rule;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The candidate's routes (contract: README, "HTTP contract"): the invitation link, open to anyone, here; the pages
 * ({@link CandidatePages}) and the JSON API ({@link CandidateApi}) for the signed-in candidate only
 * ({@link Rule#CANDIDATE}, checked once per group by {@link Access}).
 */
public final class CandidateRoutes {
  private final CandidateService service;
  private final Sessions sessions;
  private final Pages pages;
  private final CandidatePages candidatePages;
  private final CandidateApi api;

  /**
   * @param contact whom candidates may write to (shown on the overview and the receipt)
   * @param publicUrl the address staff open Gameday at (links in the recruiters' "more time" email)
   */
  public CandidateRoutes(CandidateService service, Catalog catalog, Sessions sessions, Pages pages, String contact,
                         String publicUrl, MarkdownRenderer markdown, Trails trails) {
    this.service = service;
    this.sessions = sessions;
    this.pages = pages;
    this.candidatePages = new CandidatePages(service, catalog, pages, contact, markdown, trails,
        new MoreTime(service.pool(), publicUrl));
    this.api = new CandidateApi(service, markdown, trails, new AiAssistance(service.pool(), catalog));
  }

  public void mount(Router router) {
    Access.Routes anyone = Access.on(router, Rule.PUBLIC);
    anyone.get("/i/:token", this::openLink);
    anyone.post("/i/:token", this::redeem);
    Access.Routes candidate = Access.on(router, Rule.CANDIDATE);
    candidatePages.mount(candidate);
    api.mount(candidate);
  }

  /**
   * Opening an invitation link. With nobody signed in it signs the browser in. A browser already signed in (a
   * reviewer's or admin's account, or another candidate) is asked first: the page posts back to {@link #redeem};
   * until then nothing changes, not even the time limit. The candidate's own link goes straight to the overview.
   */
  private void openLink(RoutingContext ctx) {
    Session s = Access.session(ctx);
    if (s == null) {
      redeem(ctx);
      return;
    }
    String token = ctx.pathParam("token");
    service.peek(token).compose(open -> open.isPresent() ? Future.succeededFuture(open) : service.submittedBy(token)).onSuccess(id -> {
      if (id.isEmpty()) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
      } else if (s.candidate() && id.get().equals(s.invitationId())) {
        Http.redirect(ctx, "/candidate");
      } else {
        Map<String, Object> m = new HashMap<>();
        m.put("title", "Continue as the candidate?");
        m.put("token", token);
        m.put("asAccount", s.account());
        m.put("currentName", s.name());
        m.put("currentEmail", s.email());
        m.put("currentRole", s.admin() ? "admin" : "reviewer");
        m.put("stayHref", s.account() ? "/review" : "/candidate");
        pages.render(ctx, 200, "invitation-confirm", m);
      }
    }).onFailure(ctx::fail);
  }

  private void redeem(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    // an open invitation goes to the overview; a submitted one to its receipt (issue 21, defect 6), never "not valid"
    service.redeem(token)
        .compose(id -> id.isPresent() ? sessions.start(ctx, "candidate", id.get(), null, null).map("/candidate")
            : service.submittedBy(token).compose(done -> done.isEmpty() ? Future.succeededFuture((String) null)
                : sessions.start(ctx, "candidate", done.get(), null, null).map("/candidate/receipt")))
        .onSuccess(to -> {
          if (to != null) {
            Http.redirect(ctx, to);
          } else {
            pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
          }
        })
        .onFailure(ctx::fail);
  }

}

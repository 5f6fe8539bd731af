"""MkDocs hook: thin glue between MkDocs events and the handbook package."""

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from handbook import build, csp, form_pages, postbuild, search_index


SERVING = False


def on_startup(command, dirty):
    global SERVING
    SERVING = command == "serve"


@event_priority(100)  # before mkdocs-macros reads the parameters: each rebuild starts afresh
def on_config(config):
    try:
        build.start(config)   # the build's state: config.handbook, read by the macros too
    except ValueError as e:  # a broken record of releases, bands with a gap or an overlap
        raise PluginError(str(e)) from None
    from handbook import roster

    config.extra["company"] = roster.names()["company_name"]  # the footer (partials/copyright.html)
    config.extra["calc_runtime"] = build.page_runtime(config.handbook, config["docs_dir"])  # overrides/main.html


def on_files(files, config):
    try:
        build.index_documents(config.handbook, files, config["docs_dir"])
        generated = build.generated_files(config.handbook, config)
    except (ValueError, KeyError) as e:  # a document without its control fields, a role not in the roster…
        raise PluginError(str(e)) from None
    for file in generated:
        files.append(file)
    return files


def on_nav(nav, config, files):
    config.handbook.nav = nav


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is None:  # revision pages hold their day's numbers as text
        build.check_source(config.handbook, page.file.content_string, page.file.src_uri)
    return markdown


def on_page_content(html, page, config, files):
    return build.finish_page(config.handbook, html, page.url, page.file.src_uri)


# Material's search plugin indexes the page in its on_page_context: it reads the page as
# the index should see it (handbook/search_index.py), and readers get the page as it was.
_READERS_VIEW = {}


@event_priority(100)
def _before_search_indexes(context, page, config, nav):
    if page.content and search_index.indexed(page.meta):
        _READERS_VIEW[page.file.src_uri] = page.content
        page.content = search_index.search_view(page.content)
    return context


@event_priority(-100)
def _after_search_indexed(context, page, config, nav):
    if page.file.src_uri in _READERS_VIEW:
        page.content = search_index.without_marks(_READERS_VIEW.pop(page.file.src_uri))
    return context


on_page_context = CombinedEvent(_before_search_indexes, _after_search_indexed)


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    state = config.handbook
    search_index.refine_file(config["site_dir"], set(state.doc_urls.values()), state.documents.values())
    errors = build.finish_site(state, config["site_dir"])
    if errors:
        raise PluginError("手册构建检查未通过：\n" + "\n".join(errors))
    build.write_feeds(state, config["site_dir"], config["site_url"])
    # CSP, service worker (with the navigation's pages and the forms in force kept offline),
    # precompressed copies; `mkdocs serve` injects an inline live-reload script of its own,
    # so it gets no CSP.
    pages = build.offline_pages(state) + form_pages.offline_pages(state.documents, state.manifest)
    try:
        postbuild.finish(config["site_dir"], config["theme"].dirs, csp=not SERVING, pages=pages,
                         site_name=config["site_name"])
    except csp.PolicyError as e:  # an inline script no template writes
        raise PluginError("手册构建检查未通过：\n" + str(e)) from None

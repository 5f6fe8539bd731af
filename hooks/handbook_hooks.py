"""MkDocs hook: thin glue between MkDocs events and the handbook package."""

from mkdocs.exceptions import PluginError

from handbook import build


def on_config(config):
    build.start()


def on_files(files, config):
    try:
        build.index_documents(files, config["docs_dir"])
    except (ValueError, KeyError) as e:  # a document without its control fields, a role not in the roster…
        raise PluginError(str(e)) from None
    for file in build.revision_files(config):
        files.append(file)
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is None:  # revision pages hold their day's numbers as text
        build.check_source(page.file.content_string, page.file.src_uri)
    build.capture_page(markdown, page.file.src_uri)
    return markdown


def on_page_content(html, page, config, files):
    return build.finish_page(html, page.url, page.file.src_uri)


def on_post_build(config):
    errors = build.finish_site(config["site_dir"])
    if errors:
        raise PluginError("手册构建检查未通过：\n" + "\n".join(errors))

"""A list as data: reading Markdown into sections and entries, learning each section's entry format,
writing entries by line ranges, the latest-papers block. Pure: never imports github, web or jobs.
"""

# UK: visual surveillance systems produced by companies subject to the
# National Intelligence Law of the People's Republic of China.
pack "uk-prc-nil" {
  title       = "UK: PRC National Intelligence Law surveillance vendors"
  description = "Written Ministerial Statement of 24 November 2022 (HCWS386): departments must not deploy visual surveillance systems produced by companies subject to the PRC National Intelligence Law onto sensitive sites, nor connect them to core networks. The test is PRC domicile, so every PRC maker of visual surveillance is in scope."
  sources = [
    "https://questions-statements.parliament.uk/written-statements/detail/2022-11-24/hcws386",
    "https://www.gov.uk/government/news/government-to-remove-surveillance-cameras-made-by-firms-subject-to-chinas-national-intelligence-law-from-sensitive-sites",
  ]
}
